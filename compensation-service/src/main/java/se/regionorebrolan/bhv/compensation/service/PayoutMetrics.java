package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.domain.PricedLine;
import se.regionorebrolan.bhv.compensation.domain.SwedishCalendar;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The payout side as the operator sees it, read from the database every few seconds (so every replica reports the
 * same): lines and net amounts booked by kind, lines not yet on Kafka and the age of the oldest, and the
 * reconciliation differences of this month's and last month's visits.
 */
@ApplicationScoped
public class PayoutMetrics {

    private final Pool pool;
    private final ReconciliationService reconciliation;
    private final Map<String, AtomicLong> linesByKind = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> oreByKind = new ConcurrentHashMap<>();
    private final AtomicLong unpublished = new AtomicLong();
    private final AtomicLong oldestUnpublishedMillis = new AtomicLong();
    private final Map<String, AtomicLong> differences = new ConcurrentHashMap<>();

    public PayoutMetrics(Pool pool, MeterRegistry registry, ReconciliationService reconciliation) {
        this.pool = pool;
        this.reconciliation = reconciliation;
        registry.gauge("bhv.payout.unpublished.lines", unpublished);
        registry.gauge("bhv.payout.oldest.unpublished.age.seconds", oldestUnpublishedMillis, a -> a.get() / 1000.0);
        for (PricedLine.LineKind kind : PricedLine.LineKind.values()) {
            registry.gauge("bhv.payout.lines.booked", Tags.of("kind", kind.name()),
                    linesByKind.computeIfAbsent(kind.name(), k -> new AtomicLong()));
            registry.gauge("bhv.payout.amount.booked.sek", Tags.of("kind", kind.name()),
                    oreByKind.computeIfAbsent(kind.name(), k -> new AtomicLong()), ore -> ore.get() / 100.0);
        }
        for (String period : new String[] {"current", "previous"}) {
            registry.gauge("bhv.reconciliation.differences", Tags.of("period", period),
                    differences.computeIfAbsent(period, p -> new AtomicLong()));
        }
    }

    @Scheduled(every = "${bhv.metrics.refresh-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query("SELECT kind, count(*) AS lines, sum(amount_ore)::bigint AS ore FROM payout_line GROUP BY kind")
                .execute()
                .invoke(rows -> {
                    for (Row row : rows) {
                        linesByKind.computeIfAbsent(row.getString("kind"), k -> new AtomicLong()).set(row.getLong("lines"));
                        oreByKind.computeIfAbsent(row.getString("kind"), k -> new AtomicLong()).set(row.getLong("ore"));
                    }
                })
                .chain(() -> pool.query("""
                        SELECT count(*) AS waiting,
                               coalesce(floor(extract(epoch FROM now() - min(booked_at)) * 1000), 0)::bigint AS age
                        FROM payout_line WHERE line_id > (SELECT last_line_id FROM publish_cursor
                                                          WHERE name = 'bhv.payouts.v1')""").execute())
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    unpublished.set(row.getLong("waiting"));
                    oldestUnpublishedMillis.set(row.getLong("age"));
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Less often: it reads every visit and line of two months. */
    @Scheduled(every = "${bhv.metrics.reconciliation-interval:60s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcile() {
        YearMonth current = YearMonth.from(SwedishCalendar.today());
        return reconciliation.reconcile(current)
                .invoke(result -> differences.get("current").set(result.differenceCount()))
                .chain(() -> reconciliation.reconcile(current.minusMonths(1)))
                .invoke(result -> differences.get("previous").set(result.differenceCount()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
