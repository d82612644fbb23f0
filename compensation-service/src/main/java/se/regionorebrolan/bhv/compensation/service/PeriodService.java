package se.regionorebrolan.bhv.compensation.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.compensation.repository.PeriodRepository;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;

/** Closing a month, under the feed lock: a booking either commits before the close or sees the month closed. */
@ApplicationScoped
public class PeriodService {

    private final Pool pool;
    private final PeriodRepository periods;

    public PeriodService(Pool pool, PeriodRepository periods) {
        this.pool = pool;
        this.periods = periods;
    }

    /** Closes the month; answers when it was closed (the first time). */
    public Uni<Instant> close(YearMonth month) {
        return pool.withTransaction(conn -> PayoutLineRepository.lockFeed(conn)
                .chain(() -> PeriodRepository.close(conn, month.toString())));
    }

    /** The closed months, oldest first, with when each was closed. */
    public Uni<Map<String, Instant>> closed() {
        return periods.closedAt();
    }
}
