package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.domain.PricedLine;
import se.regionorebrolan.bhv.compensation.domain.SwedishCalendar;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The payout side as the operator sees it, read from the database every few seconds (so every replica reports the
 * same): lines and net amounts booked by kind (all lines once at start, then the lines booked since the last read:
 * lines are never changed or removed), lines not yet on Kafka and the age of the oldest, and the
 * reconciliation differences of this month's and last month's visits.
 */
@ApplicationScoped
public class PayoutMetrics {

    private final PayoutLineRepository lines;
    private final ReconciliationService reconciliation;
    private final Map<String, AtomicLong> linesByKind = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> oreByKind = new ConcurrentHashMap<>();
    private final AtomicLong unpublished = new AtomicLong();
    private final AtomicLong oldestUnpublishedMillis = new AtomicLong();
    private final Map<String, AtomicLong> differences = new ConcurrentHashMap<>();
    /** The last line added to the totals: each refresh reads only the lines booked since. */
    private volatile long countedUpTo;

    public PayoutMetrics(PayoutLineRepository lines, MeterRegistry registry, ReconciliationService reconciliation) {
        this.lines = lines;
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
        return lines.totalsAfter(countedUpTo)
                .invoke(totals -> {
                    totals.byKind().forEach((kind, sum) -> {
                        linesByKind.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(sum.lines());
                        oreByKind.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(sum.amountOre());
                    });
                    countedUpTo = totals.lastLineId();
                })
                .chain(lines::unpublished)
                .invoke(waiting -> {
                    unpublished.set(waiting.lines());
                    oldestUnpublishedMillis.set(waiting.oldestMillis());
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Less often: it reads every visit and line of two months (counted in SQL). */
    @Scheduled(every = "${bhv.metrics.reconciliation-interval:60s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcile() {
        YearMonth current = YearMonth.from(SwedishCalendar.today());
        return reconciliation.differenceCount(current)
                .invoke(count -> differences.get("current").set(count))
                .chain(() -> reconciliation.differenceCount(current.minusMonths(1)))
                .invoke(count -> differences.get("previous").set(count))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
