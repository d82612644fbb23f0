package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;

/**
 * A table that a {@link Relay} publishes from: the outbox of events ({@link OutboxRelay}), or a table that is its own
 * outbox read past a cursor (compensation-service's payout lines). Both calls run in the relay's transaction, under
 * its lock, so one relay at a time reads and marks.
 */
public interface RelaySource {

    /** A row to publish: its id in the table, and the record it becomes. */
    record Pending(long id, ProducerRecord<String, byte[]> record) {
    }

    /** The next rows to publish, in the order they must keep; empty when there are none. */
    Uni<List<Pending>> next(SqlConnection conn);

    /**
     * Marks what Kafka acknowledged ({@code outcomes}: per row, null when acknowledged, else the failure) and answers
     * whether to run again at once; fails (after marking) when rows were left for a transient reason, so that the
     * relay backs off before it tries them again.
     */
    Uni<Boolean> settle(SqlConnection conn, List<Pending> batch, List<Throwable> outcomes);

    /** A run that left rows unsent for a transient reason: what was marked still commits, the rest waits a back-off. */
    final class UnsentException extends RuntimeException {
        public UnsentException(int unsent, Throwable cause) {
            super(unsent + " records not acknowledged: " + cause, null, false, false);
        }
    }
}
