package se.regionorebrolan.bhv.reporting.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.kit.KeyedBatch;
import se.regionorebrolan.bhv.kit.Relay;
import se.regionorebrolan.bhv.reporting.config.ReportingConfig;
import se.regionorebrolan.bhv.reporting.repository.ChildSummaryRepository;

import java.time.Duration;

/**
 * Brings the children's summaries up to date (issue 18). The projection only marks the children whose visits changed
 * ({@code child_summary_due}, in the batch's own transaction); their summaries are recomputed here, in chunks, each in
 * a transaction of its own under the projection lock: once the projection has been quiet for a moment (a burst has
 * passed: the payouts had the cores during it), at the latest when a mark is a few seconds old (a steady load), and
 * always before a report is computed ({@link ReportService}), so that a report counts every event projected before it
 * was asked for. The marks are in the database: a stop or a crash leaves them to the next run, on any replica. With
 * the database away the background tries again after the relays' growing pause ({@link Relay#backOff}).
 */
@ApplicationScoped
public class ChildSummaries {

    private static final Logger LOG = Logger.getLogger(ChildSummaries.class);

    /** Children per transaction: a chunk holds the projection lock for a few hundred milliseconds at most. */
    static final int CHUNK = 2000;

    private static final long NOT_DUE = -1;

    private final Pool pool;
    private final long quietNanos;
    private final long longestNanos;

    /** When this replica last projected (System.nanoTime). */
    private volatile long lastProjected;
    /** Since when marks may be waiting: at start, marks left by an earlier run may be. */
    private volatile long dueSince = System.nanoTime();
    /** The background's refreshes that failed in a row (the database away), and when it may try again. */
    private volatile int failures;
    private volatile long retryAt;

    public ChildSummaries(Pool pool, ReportingConfig config) {
        this.pool = pool;
        this.quietNanos = config.summaries().quiet().toNanos();
        this.longestNanos = config.summaries().longest().toNanos();
    }

    /** A projection batch marked children due (after it committed). */
    void marked() {
        long now = System.nanoTime();
        lastProjected = now;
        if (dueSince == NOT_DUE) {
            dueSince = now;
        }
    }

    /**
     * Recomputes the summaries of every child marked due so far, a chunk at a time in the order of the children's
     * numbers, until a chunk is not full (a child marked meanwhile below the chunks already taken, or after the last,
     * waits for the next refresh: its batch committed after the refresh began).
     */
    public Uni<Void> refresh() {
        dueSince = NOT_DUE; // before the marks are read: a batch committed after this marks again
        int[] after = {Integer.MIN_VALUE};
        return Multi.createBy().repeating()
                .uni(() -> pool.withTransaction(conn -> Projector.lock(conn).chain(() -> KeyedBatch.plan(conn))
                        .chain(() -> ChildSummaryRepository.recomputeDue(conn, after[0], CHUNK))))
                .whilst(taken -> {
                    after[0] = taken.highest();
                    return taken.count() == CHUNK;
                })
                .collect().last()
                .onFailure().invoke(() -> dueSince = System.nanoTime()) // tried again at the next tick
                .replaceWithVoid();
    }

    @Scheduled(every = "1s", delayed = "1s", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        long since = dueSince;
        long now = System.nanoTime();
        if (since == NOT_DUE || failures > 0 && now - retryAt < 0
                || now - lastProjected < quietNanos && now - since < longestNanos) {
            return Uni.createFrom().voidItem();
        }
        return refresh().invoke(() -> failures = 0).onFailure().recoverWithUni(e -> {
            // the database away: tried again after the relays' back-off (1 s doubling to 30 s), not every second
            Duration pause = Relay.backOff(++failures);
            retryAt = System.nanoTime() + pause.toNanos();
            LOG.warnf("child summaries not brought up to date, retrying in %d ms: %s", pause.toMillis(), e.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** The background's failed refreshes in a row (for the tests). */
    int failures() {
        return failures;
    }
}
