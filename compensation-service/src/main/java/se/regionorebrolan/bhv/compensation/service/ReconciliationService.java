package se.regionorebrolan.bhv.compensation.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.config.CompensationConfig;
import se.regionorebrolan.bhv.compensation.domain.Reconciliation;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.kit.Snapshots;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;

/** Compares the month's visits seen with the money booked for them, in SQL and in one snapshot. */
@ApplicationScoped
public class ReconciliationService {

    private final Pool pool;
    private final Duration readTimeout;

    public ReconciliationService(Pool pool, CompensationConfig config) {
        this.pool = pool;
        this.readTimeout = config.readTimeout();
    }

    /** Only how many differences the month has (for the metrics). */
    public Uni<Integer> differenceCount(YearMonth period) {
        return Snapshots.read(pool, readTimeout, conn -> PayoutLineRepository.reconciliationCounts(conn,
                        period.atDay(1), period.plusMonths(1).atDay(1), period.toString()))
                .map(counts -> counts.stream().mapToInt(Reconciliation.CentreCounts::differences).sum());
    }

    public Uni<Reconciliation.Result> reconcile(YearMonth period) {
        LocalDate from = period.atDay(1);
        LocalDate to = period.plusMonths(1).atDay(1);
        String month = period.toString();
        return Snapshots.read(pool, readTimeout, conn -> PayoutLineRepository.reconciliationCounts(conn, from, to, month)
                .chain(counts -> PayoutLineRepository.reconciliationDifferences(conn, from, to, month,
                                Reconciliation.MAX_LISTED)
                        .map(listed -> Reconciliation.of(month, counts, listed))));
    }
}
