package se.regionorebrolan.bhv.reporting.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.reporting.domain.Money;
import se.regionorebrolan.bhv.reporting.service.GrantService.Cost;
import se.regionorebrolan.bhv.reporting.service.GrantService.Grant;
import se.regionorebrolan.bhv.reporting.service.GrantService.Narrative;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All SQL of what the region enters for the reports: {@code grant_year} (the grant received, with its project
 * code), {@code grant_cost} (other costs paid from it), {@code regional_narrative} (the centres' narratives).
 */
@ApplicationScoped
public class GrantRepository {

    private static final String COST = "SELECT cost_id, year, kind, reference, cost_date, amount_ore, description,"
            + " created_at FROM grant_cost";

    /** The year's costs: sum and number within the year, and sum and number dated outside it. */
    public record CostTotals(long withinOre, long within, long outsideOre, long outside) {
    }

    private final Pool pool;

    public GrantRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Grant> saveGrant(int year, long amountOre, String projectCode) {
        return pool.preparedQuery("""
                        INSERT INTO grant_year (year, amount_received_ore, project_code, updated_at)
                        VALUES ($1, $2, $3, now())
                        ON CONFLICT (year) DO UPDATE SET amount_received_ore = EXCLUDED.amount_received_ore,
                            project_code = EXCLUDED.project_code, updated_at = EXCLUDED.updated_at
                        RETURNING year, amount_received_ore, project_code, updated_at""")
                .execute(Tuple.of(year, amountOre, projectCode))
                .map(rows -> grant(rows.iterator().next()));
    }

    /** The year's grant, or null. */
    public static Uni<Grant> grant(SqlClient sql, int year) {
        return sql.preparedQuery("SELECT year, amount_received_ore, project_code, updated_at FROM grant_year"
                        + " WHERE year = $1").execute(Tuple.of(year))
                .map(rows -> rows.iterator().hasNext() ? grant(rows.iterator().next()) : null);
    }

    public Uni<Grant> grant(int year) {
        return grant(pool, year);
    }

    /** Adds the cost unless its reference is taken in the year; answers it, or null when the reference is taken. */
    public Uni<Cost> addCost(int year, String kind, String reference, LocalDate date, long amountOre,
                             String description) {
        return pool.preparedQuery("""
                        INSERT INTO grant_cost (year, kind, reference, cost_date, amount_ore, description, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, now())
                        ON CONFLICT (year, reference) DO NOTHING
                        RETURNING cost_id, year, kind, reference, cost_date, amount_ore, description, created_at""")
                .execute(Tuple.of(year, kind, reference, date, amountOre, description))
                .map(rows -> rows.iterator().hasNext() ? cost(rows.iterator().next()) : null);
    }

    public Uni<Cost> costByReference(int year, String reference) {
        return one(COST + " WHERE year = $1 AND reference = $2", Tuple.of(year, reference));
    }

    /** The cost, or null. */
    public Uni<Cost> cost(int year, long costId) {
        return one(COST + " WHERE year = $1 AND cost_id = $2", Tuple.of(year, costId));
    }

    public Uni<List<Cost>> costs(int year) {
        return pool.preparedQuery(COST + " WHERE year = $1 ORDER BY cost_id").execute(Tuple.of(year)).map(rows -> {
            List<Cost> costs = new ArrayList<>();
            rows.forEach(r -> costs.add(cost(r)));
            return costs;
        });
    }

    public static Uni<CostTotals> costTotals(SqlClient sql, int year) {
        return sql.preparedQuery("""
                        SELECT coalesce(sum(amount_ore) FILTER (WHERE cost_date BETWEEN $2 AND $3), 0)::bigint,
                               count(*) FILTER (WHERE cost_date BETWEEN $2 AND $3),
                               coalesce(sum(amount_ore) FILTER (WHERE cost_date NOT BETWEEN $2 AND $3), 0)::bigint,
                               count(*) FILTER (WHERE cost_date NOT BETWEEN $2 AND $3)
                        FROM grant_cost WHERE year = $1""")
                .execute(Tuple.of(year, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new CostTotals(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3));
                });
    }

    public Uni<Narrative> saveNarrative(int year, String centreId, String formAndContent, String plannedDevelopment) {
        return pool.preparedQuery("""
                        INSERT INTO regional_narrative (year, centre_id, form_and_content, planned_development,
                            updated_at)
                        VALUES ($1, $2, $3, $4, now())
                        ON CONFLICT (year, centre_id) DO UPDATE SET form_and_content = EXCLUDED.form_and_content,
                            planned_development = EXCLUDED.planned_development, updated_at = EXCLUDED.updated_at
                        RETURNING form_and_content, planned_development, updated_at""")
                .execute(Tuple.of(year, centreId, formAndContent, plannedDevelopment))
                .map(rows -> narrative(rows.iterator().next()));
    }

    /** The year's narratives by centre. */
    public static Uni<Map<String, Narrative>> narratives(SqlClient sql, int year) {
        return sql.preparedQuery("SELECT centre_id, form_and_content, planned_development, updated_at"
                        + " FROM regional_narrative WHERE year = $1").execute(Tuple.of(year))
                .map(rows -> {
                    Map<String, Narrative> byCentre = new HashMap<>();
                    rows.forEach(r -> byCentre.put(r.getString(0), new Narrative(r.getString(1), r.getString(2),
                            r.getOffsetDateTime(3).toInstant())));
                    return byCentre;
                });
    }

    private Uni<Cost> one(String query, Tuple params) {
        return pool.preparedQuery(query).execute(params)
                .map(rows -> rows.iterator().hasNext() ? cost(rows.iterator().next()) : null);
    }

    private static Narrative narrative(Row r) {
        return new Narrative(r.getString(0), r.getString(1), r.getOffsetDateTime(2).toInstant());
    }

    private static Grant grant(Row r) {
        return new Grant(r.getInteger(0), Money.sek(r.getLong(1)), r.getString(2), r.getOffsetDateTime(3).toInstant());
    }

    private static Cost cost(Row r) {
        return new Cost(r.getLong(0), r.getInteger(1), r.getString(2), r.getString(3), r.getLocalDate(4),
                Money.sek(r.getLong(5)), r.getString(6), r.getOffsetDateTime(7).toInstant());
    }
}
