package se.regionorebrolan.bhv.events;

/** A record on a topic that does not follow the contract. Consumers dead-letter it with this message as reason. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
