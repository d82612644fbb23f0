package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The events the relay parked because Kafka refused them for good (deploy/README.md, "BhvOutboxParked"): listed with
 * their reason and how many later events of the same visit wait behind them; released (the relay tries again, e.g.
 * after the topic's size limit was raised) or discarded with a reason (kept, never sent; the visit's later events
 * then go on).
 */
@ApplicationScoped
@io.quarkus.arc.properties.IfBuildProperty(name = "bhv.outbox.enabled", stringValue = "true")
public class ParkedEvents {

    /** A parked event as the operator sees it: never its payload. */
    public record Parked(UUID eventId, UUID visitId, String eventType, Instant createdAt, Instant parkedAt,
                         String reason, int bytes, long waitingBehind) {
    }

    private final Pool pool;
    private final OutboxRelay relay;

    public ParkedEvents(Pool pool, OutboxRelay relay) {
        this.pool = pool;
        this.relay = relay;
    }

    public Uni<List<Parked>> list() {
        return pool.query("""
                        SELECT p.event_id, p.aggregate_id, p.event_type, p.created_at, p.parked_at, p.park_reason,
                               octet_length(p.payload) AS bytes,
                               (SELECT count(*) FROM outbox_event w WHERE w.aggregate_id = p.aggregate_id
                                  AND w.id > p.id AND w.discarded_at IS NULL) AS waiting
                        FROM outbox_event p
                        WHERE\s""" + Outbox.PARKED + " ORDER BY p.id LIMIT 1000").execute()
                .map(rows -> {
                    List<Parked> parked = new ArrayList<>();
                    for (Row r : rows) {
                        parked.add(new Parked(r.getUUID("event_id"), r.getUUID("aggregate_id"),
                                r.getString("event_type"), r.getOffsetDateTime("created_at").toInstant(),
                                r.getOffsetDateTime("parked_at").toInstant(), r.getString("park_reason"),
                                r.getInteger("bytes"), r.getLong("waiting")));
                    }
                    return parked;
                });
    }

    /** The relay tries the event again (and parks it again if Kafka still refuses it). */
    public Uni<Void> release(UUID eventId) {
        return pool.preparedQuery("""
                        UPDATE outbox_event SET parked_at = NULL, park_reason = NULL
                        WHERE event_id = $1 AND\s""" + Outbox.PARKED)
                .execute(Tuple.of(eventId))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("no parked event with this id");
                    }
                    relay.wake();
                })
                .replaceWithVoid();
    }

    /** The event is never sent; it stays in the outbox with the reason. The visit's later events go on. */
    public Uni<Void> discard(UUID eventId, String reason) {
        Reasons.require(reason);
        return pool.preparedQuery("""
                        UPDATE outbox_event SET discarded_at = now(), discard_reason = $2
                        WHERE event_id = $1 AND\s""" + Outbox.PARKED)
                .execute(Tuple.of(eventId, reason.strip()))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("no parked event with this id");
                    }
                    relay.wake();
                })
                .replaceWithVoid();
    }
}
