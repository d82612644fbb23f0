package se.regionorebrolan.bhv.kit;

/** What became of one consumed record: processed (now, or before: processing is idempotent), or refused with why. */
public sealed interface RecordOutcome {

    RecordOutcome PROCESSED = new Processed();

    /** Processed; a redelivery changes nothing. */
    record Processed() implements RecordOutcome {
    }

    /** It breaks the contract or cannot be processed: it goes to the group's dead-letter topic with the reason. */
    record Refused(String reason) implements RecordOutcome {
    }

    static RecordOutcome refused(String reason) {
        return new Refused(reason);
    }
}
