package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;

import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Writes an event into the service's outbox ({@code outbox_event}), in the caller's transaction: the change and its
 * event commit together, and {@link OutboxRelay} publishes it after the commit (keyed by the aggregate).
 */
public final class Outbox {

    /**
     * An event the relay is to send, and one parked (Kafka refused it for good; it holds its aggregate's later events
     * back until released or discarded). The partial indexes in {@code db/kit-outbox/R__outbox.sql} hold exactly these
     * rows and repeat the conditions word for word, as PostgreSQL needs to match a query to such an index.
     */
    public static final String WAITING = "parked_at IS NULL AND discarded_at IS NULL";
    public static final String PARKED = "parked_at IS NOT NULL AND discarded_at IS NULL";

    private Outbox() {
    }

    /** {@code aggregateId}: the visit's UUID, the centre's HSA-id: the record's key, and the order it keeps. */
    public static Uni<Void> add(SqlClient sql, Object aggregateId, CloudEvent event) {
        return sql.preparedQuery("""
                        INSERT INTO outbox_event (event_id, aggregate_id, event_type, payload, created_at, trace_parent)
                        VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.from(new Object[] {UUID.fromString(event.id()), aggregateId, event.type(),
                        EventCodec.write(event), event.time().atOffset(ZoneOffset.UTC), TraceContext.traceParent()}))
                .replaceWithVoid();
    }
}
