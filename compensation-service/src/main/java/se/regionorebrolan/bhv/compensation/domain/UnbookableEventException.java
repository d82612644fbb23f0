package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.events.InvalidEventException;

/** A well-formed event that cannot be booked (unknown centre, no rule set for its date): dead-lettered, not retried. */
public class UnbookableEventException extends InvalidEventException {
    public UnbookableEventException(String message) {
        super(message);
    }
}
