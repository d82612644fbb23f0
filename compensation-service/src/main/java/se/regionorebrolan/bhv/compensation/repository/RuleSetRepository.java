package se.regionorebrolan.bhv.compensation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation;
import se.regionorebrolan.bhv.compensation.domain.RuleSet;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** All SQL of {@code rule_set}. Rule sets are only added, never changed. */
@ApplicationScoped
public class RuleSetRepository {

    private final Pool pool;

    public RuleSetRepository(Pool pool) {
        this.pool = pool;
    }

    /** Every rule set, by start date. */
    public static Uni<List<RuleSet>> all(SqlClient sql) {
        return sql.query("SELECT rule_set_id, valid_from, joint_visit_ore, ordinary_visit_ore, required_kva_code,"
                + " cni_threshold, source, fixed_weighting, created_at FROM rule_set ORDER BY valid_from").execute()
                .map(rows -> {
                    List<RuleSet> all = new ArrayList<>();
                    for (Row r : rows) {
                        all.add(new RuleSet(r.getString(0), r.getLocalDate(1), r.getLong(2), r.getLong(3),
                                r.getString(4), r.getBigDecimal(5), r.getString(6),
                                FixedCompensation.Weighting.valueOf(r.getString(7)),
                                r.getOffsetDateTime(8).toInstant()));
                    }
                    return all;
                });
    }

    public Uni<List<RuleSet>> all() {
        return all(pool);
    }

    /** The child-CNI threshold of the rule set in force on the date; null before the first. */
    public static Uni<java.math.BigDecimal> threshold(SqlClient sql, java.time.LocalDate on) {
        return sql.preparedQuery("SELECT cni_threshold FROM rule_set WHERE valid_from <= $1"
                        + " ORDER BY valid_from DESC LIMIT 1").execute(Tuple.of(on))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBigDecimal(0));
    }

    /** Adds the rule set unless one with its id or start date exists; answers whether it was added. */
    public Uni<Boolean> add(RuleSet r) {
        return pool.preparedQuery("""
                        INSERT INTO rule_set (rule_set_id, valid_from, joint_visit_ore, ordinary_visit_ore,
                            required_kva_code, cni_threshold, source, fixed_weighting, created_at)
                        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
                        WHERE NOT EXISTS (SELECT 1 FROM rule_set WHERE rule_set_id = $1 OR valid_from = $2)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(new Object[] {r.ruleSetId(), r.validFrom(), r.jointVisitOre(),
                        r.ordinaryVisitOre(), r.requiredKvaCode(), r.cniThreshold(), r.source(),
                        r.fixedWeighting().name(), r.createdAt().atOffset(ZoneOffset.UTC)}))
                .map(result -> result.rowCount() == 1);
    }
}
