package se.regionorebrolan.bhv.kit;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox as the operator sees it: how many events wait for Kafka, and how old the oldest is. Read from the
 * database every few seconds, so every replica reports the same backlog.
 */
@ApplicationScoped
@io.quarkus.arc.properties.IfBuildProperty(name = "bhv.outbox.enabled", stringValue = "true")
public class OutboxMetrics {

    /**
     * Each figure from the partial index that holds exactly its rows ({@code outbox_event_unsent},
     * {@code outbox_event_held}): discarded events stay in the table, and sent ones did before they were deleted,
     * when a scan of them every few seconds grew with every visit ever recorded.
     */
    public static final String QUERY = """
            SELECT w.waiting, coalesce(floor(extract(epoch FROM now() - w.oldest) * 1000), 0)::bigint AS age,
                   (SELECT count(*) FROM outbox_event WHERE\s""" + Outbox.PARKED + """
            ) AS parked
            FROM (SELECT count(*) AS waiting, min(created_at) AS oldest FROM outbox_event
                  WHERE\s""" + Outbox.WAITING + ") w";

    private final Pool pool;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();

    public OutboxMetrics(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        registry.gauge("bhv.outbox.backlog.events", backlog);
        registry.gauge("bhv.outbox.oldest.unsent.age.seconds", oldestAgeMillis, age -> age.get() / 1000.0);
        // parked events, and the events of their visits waiting behind them (alert BhvOutboxParked)
        registry.gauge("bhv.outbox.parked.events", parked);
    }

    @Scheduled(every = "${bhv.metrics.refresh-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(QUERY)
                .execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    backlog.set(row.getLong("waiting"));
                    oldestAgeMillis.set(row.getLong("age"));
                    parked.set(row.getLong("parked"));
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
