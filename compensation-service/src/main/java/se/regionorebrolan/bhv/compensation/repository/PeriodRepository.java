package se.regionorebrolan.bhv.compensation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Map;

/** All SQL of {@code closed_period}: the months finance has closed (their statements never change again). */
@ApplicationScoped
public class PeriodRepository {

    private final Pool pool;

    public PeriodRepository(Pool pool) {
        this.pool = pool;
    }

    /** Every closed month, {@code YYYY-MM}. */
    public static Uni<Set<String>> closed(SqlClient sql) {
        return sql.query("SELECT period FROM closed_period").execute().map(rows -> {
            Set<String> closed = new TreeSet<>();
            rows.forEach(r -> closed.add(r.getString(0)));
            return closed;
        });
    }

    public static Uni<Boolean> isClosed(SqlClient sql, String period) {
        return sql.preparedQuery("SELECT EXISTS (SELECT 1 FROM closed_period WHERE period = $1)")
                .execute(Tuple.of(period)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Every closed month with when it was closed, in month order. */
    public Uni<Map<String, Instant>> closedAt() {
        return pool.query("SELECT period, closed_at FROM closed_period").execute().map(rows -> {
            Map<String, Instant> closed = new TreeMap<>();
            for (Row r : rows) {
                closed.put(r.getString(0), r.getOffsetDateTime(1).toInstant());
            }
            return closed;
        });
    }

    /** Closes the month (once: closing again changes nothing); answers when it was closed. */
    public static Uni<Instant> close(SqlConnection conn, String period) {
        return conn.preparedQuery("INSERT INTO closed_period (period, closed_at) VALUES ($1, now())"
                        + " ON CONFLICT (period) DO NOTHING").execute(Tuple.of(period))
                .chain(() -> conn.preparedQuery("SELECT closed_at FROM closed_period WHERE period = $1")
                        .execute(Tuple.of(period)))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant());
    }
}
