package se.regionorebrolan.bhv.compensation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** All SQL of {@code fixed_yearly_amount}: the region's yearly amount for fixed compensation. */
@ApplicationScoped
public class FixedYearlyAmountRepository {

    /** A year's amount in öre, and the region's decision it comes from. */
    public record YearlyAmount(int year, long amountOre, String source, Instant setAt) {
    }

    private final Pool pool;

    public FixedYearlyAmountRepository(Pool pool) {
        this.pool = pool;
    }

    /** The year's amount, or null. */
    public static Uni<YearlyAmount> find(SqlClient sql, int year) {
        return sql.preparedQuery("SELECT year, amount_ore, source, set_at FROM fixed_yearly_amount WHERE year = $1")
                .execute(Tuple.of(year))
                .map(rows -> rows.size() == 0 ? null : amount(rows.iterator().next()));
    }

    public Uni<YearlyAmount> find(int year) {
        return find(pool, year);
    }

    /** Every year's amount in öre. */
    public static Uni<Map<Integer, Long>> all(SqlClient sql) {
        return sql.query("SELECT year, amount_ore FROM fixed_yearly_amount").execute().map(rows -> {
            Map<Integer, Long> yearly = new HashMap<>();
            rows.forEach(r -> yearly.put(r.getInteger(0), r.getLong(1)));
            return yearly;
        });
    }

    public static Uni<Void> save(SqlClient sql, YearlyAmount amount) {
        return sql.preparedQuery("""
                        INSERT INTO fixed_yearly_amount (year, amount_ore, source, set_at) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (year) DO UPDATE SET amount_ore = EXCLUDED.amount_ore, source = EXCLUDED.source,
                            set_at = EXCLUDED.set_at""")
                .execute(Tuple.of(amount.year(), amount.amountOre(), amount.source(),
                        amount.setAt().atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    private static YearlyAmount amount(Row r) {
        return new YearlyAmount(r.getInteger(0), r.getLong(1), r.getString(2), r.getOffsetDateTime(3).toInstant());
    }
}
