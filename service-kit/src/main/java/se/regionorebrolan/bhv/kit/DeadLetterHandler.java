package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * What a service's consumer does with the records of one topic, offered to {@link DeadLetters#replay}: the same
 * processing as the consumer's own, so that a replayed dead letter is booked exactly as it would have been.
 */
public interface DeadLetterHandler {

    /** The topic whose records this processes (its dead letters are on {@link DeadLetters#topic}). */
    String topic();

    /**
     * Processes the records (their values, in order) in one go; answers one outcome per record. A failure of the
     * whole (the database away) fails the Uni, and nothing of it counts as processed.
     */
    Uni<List<RecordOutcome>> handle(List<String> values);
}
