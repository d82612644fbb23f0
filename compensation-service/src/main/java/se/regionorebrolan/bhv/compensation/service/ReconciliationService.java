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
import java.util.List;

/** Compares the month's visits seen with the money booked for them, in SQL and in one snapshot. */
@ApplicationScoped
public class ReconciliationService {

    /** The month's visits and nets are hashed in memory, not spilled to disk (a month of 400 000 visits fits). */
    private static final String WORK_MEM = "SET LOCAL work_mem = '64MB'";

    private final Pool pool;
    private final Duration readTimeout;

    public ReconciliationService(Pool pool, CompensationConfig config) {
        this.pool = pool;
        this.readTimeout = config.readTimeout();
    }

    /** Only how many differences the month has (for the metrics). */
    public Uni<Integer> differenceCount(YearMonth period) {
        return Snapshots.read(pool, readTimeout, conn -> conn.query(WORK_MEM).execute()
                        .chain(() -> PayoutLineRepository.reconciliationCounts(conn, period.atDay(1),
                                period.plusMonths(1).atDay(1), period.toString())))
                .map(counts -> counts.stream().mapToInt(Reconciliation.CentreCounts::differences).sum());
    }

    public Uni<Reconciliation.Result> reconcile(YearMonth period) {
        LocalDate from = period.atDay(1);
        LocalDate to = period.plusMonths(1).atDay(1);
        String month = period.toString();
        return Snapshots.read(pool, readTimeout, conn -> conn.query(WORK_MEM).execute()
                .chain(() -> PayoutLineRepository.reconciliationCounts(conn, from, to, month))
                .chain(counts -> counts.stream().allMatch(c -> c.differences() == 0)
                        ? Uni.createFrom().item(Reconciliation.of(month, counts, List.of())) // the usual case
                        : PayoutLineRepository.reconciliationDifferences(conn, from, to, month,
                                        Reconciliation.MAX_LISTED)
                                .map(listed -> Reconciliation.of(month, counts, listed))));
    }
}
