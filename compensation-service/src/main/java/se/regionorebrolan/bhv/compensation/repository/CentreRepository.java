package se.regionorebrolan.bhv.compensation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.domain.Centre;
import se.regionorebrolan.bhv.compensation.domain.CentreHistory;
import se.regionorebrolan.bhv.compensation.domain.CompensationModel;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All SQL of the centre registry: {@code centre}, its effective-dated {@code centre_figures}, the unit's list
 * {@code fixed_eligible_centre}, and the applications and decisions ({@code fixed_application},
 * {@code fixed_decision}) that make a centre's history.
 */
@ApplicationScoped
public class CentreRepository {

    /** Every approved period: the approval's start and, if the approval was ended, the day it ended. */
    private static final String PERIODS = """
            SELECT c.centre_id, ap.effective_on, en.effective_on, ap.decision_ref
            FROM centre c
            LEFT JOIN fixed_application a ON a.centre_id = c.centre_id
            LEFT JOIN fixed_decision ap ON ap.application_id = a.application_id AND ap.outcome = 'APPROVED'
            LEFT JOIN fixed_decision en ON en.application_id = a.application_id AND en.outcome = 'ENDED'
            WHERE $1::text IS NULL OR c.centre_id = $1""";

    private static final String FIGURES = """
            SELECT centre_id, valid_from, child_cni, listed_children_0_to_5 FROM centre_figures
            WHERE $1::text IS NULL OR centre_id = $1""";

    private static final String CENTRE = "SELECT centre_id, name, municipality, child_cni, listed_children_0_to_5"
            + " FROM centre";

    /** Decisions about one centre are taken one at a time (no two approvals that overlap). */
    public static Uni<Void> lock(SqlConnection conn, String centreId) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('centre/' || $1))")
                .execute(Tuple.of(centreId)).replaceWithVoid();
    }

    public static Uni<Boolean> exists(SqlClient sql, String centreId) {
        return sql.preparedQuery("SELECT EXISTS (SELECT 1 FROM centre WHERE centre_id = $1)").execute(Tuple.of(centreId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Centre ids in order, a page at a time. */
    public static Uni<List<String>> ids(SqlClient sql, long offset, int limit) {
        return sql.preparedQuery("SELECT centre_id FROM centre ORDER BY centre_id LIMIT $1 OFFSET $2")
                .execute(Tuple.of(limit, offset)).map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return ids;
                });
    }

    /** Every registered centre's history (figures only if asked: booking visits needs the models alone). */
    public static Uni<Map<String, CentreHistory>> histories(SqlClient sql, boolean withFigures) {
        return histories(sql, null, withFigures);
    }

    /** One centre with its history, or null. */
    public static Uni<Centre> find(SqlClient sql, String centreId) {
        return histories(sql, centreId, true).chain(histories -> sql.preparedQuery(CENTRE + " WHERE centre_id = $1")
                .execute(Tuple.of(centreId))
                .map(rows -> rows.size() == 0 ? null : centre(rows.iterator().next(), histories.get(centreId))));
    }

    public static Uni<List<Centre>> all(SqlClient sql) {
        return histories(sql, null, true).chain(histories -> sql.query(CENTRE + " ORDER BY centre_id").execute()
                .map(rows -> {
                    List<Centre> centres = new ArrayList<>();
                    rows.forEach(r -> centres.add(centre(r, histories.get(r.getString(0)))));
                    return centres;
                }));
    }

    /** Registers or updates the centre, and its figures from {@code figuresFrom}. */
    public static Uni<Void> save(SqlConnection conn, String centreId, String name, String municipality,
                                 CompensationModel model, BigDecimal childCni, int listedChildren0to5,
                                 LocalDate fixedApprovedFrom, LocalDate figuresFrom) {
        return conn.preparedQuery("""
                        INSERT INTO centre (centre_id, name, municipality, compensation_model, child_cni,
                            listed_children_0_to_5, fixed_approved_from, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, now())
                        ON CONFLICT (centre_id) DO UPDATE SET name = EXCLUDED.name,
                            municipality = EXCLUDED.municipality,
                            compensation_model = EXCLUDED.compensation_model,
                            child_cni = EXCLUDED.child_cni,
                            listed_children_0_to_5 = EXCLUDED.listed_children_0_to_5,
                            fixed_approved_from = EXCLUDED.fixed_approved_from,
                            updated_at = EXCLUDED.updated_at""")
                .execute(Tuple.from(new Object[] {centreId, name, municipality, model.name(), childCni,
                        listedChildren0to5, fixedApprovedFrom}))
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO centre_figures (centre_id, valid_from, child_cni, listed_children_0_to_5,
                            recorded_at)
                        VALUES ($1, $2, $3, $4, now())
                        ON CONFLICT (centre_id, valid_from) DO UPDATE SET child_cni = EXCLUDED.child_cni,
                            listed_children_0_to_5 = EXCLUDED.listed_children_0_to_5,
                            recorded_at = EXCLUDED.recorded_at""")
                        .execute(Tuple.of(centreId, figuresFrom, childCni, listedChildren0to5)))
                .replaceWithVoid();
    }

    /** Keeps the registry row's model and approval date as the decisions say today (what the API and events show). */
    public static Uni<Void> syncModel(SqlConnection conn, Centre centre) {
        return conn.preparedQuery("UPDATE centre SET compensation_model = $2, fixed_approved_from = $3,"
                        + " updated_at = now() WHERE centre_id = $1")
                .execute(Tuple.of(centre.centreId(), centre.compensationModel().name(), centre.fixedApprovedFrom()))
                .replaceWithVoid();
    }

    public static Uni<List<Centre.Eligible>> eligible(SqlClient sql) {
        return sql.query("SELECT centre_id, source FROM fixed_eligible_centre ORDER BY centre_id").execute()
                .map(rows -> {
                    List<Centre.Eligible> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new Centre.Eligible(r.getString(0), r.getString(1))));
                    return list;
                });
    }

    public static Uni<Boolean> isEligible(SqlClient sql, String centreId) {
        return sql.preparedQuery("SELECT 1 FROM fixed_eligible_centre WHERE centre_id = $1").execute(Tuple.of(centreId))
                .map(rows -> rows.size() > 0);
    }

    /** Puts the centre on the list; answers whether it was new there. */
    public static Uni<Boolean> addEligible(SqlClient sql, String centreId, String source) {
        return sql.preparedQuery("""
                        INSERT INTO fixed_eligible_centre (centre_id, source, listed_at) VALUES ($1, $2, now())
                        ON CONFLICT (centre_id) DO UPDATE SET source = EXCLUDED.source
                        RETURNING (xmax = 0)""").execute(Tuple.of(centreId, source))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    public static Uni<Boolean> removeEligible(SqlClient sql, String centreId) {
        return sql.preparedQuery("DELETE FROM fixed_eligible_centre WHERE centre_id = $1").execute(Tuple.of(centreId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Records an application; answers its id. */
    public static Uni<Long> addApplication(SqlConnection conn, String centreId, LocalDate receivedOn,
                                           LocalDate requestedFrom, String plannedUse) {
        return conn.preparedQuery("""
                        INSERT INTO fixed_application (centre_id, received_on, requested_from, planned_use,
                            recorded_at) VALUES ($1, $2, $3, $4, now()) RETURNING application_id""")
                .execute(Tuple.of(centreId, receivedOn, requestedFrom, plannedUse))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public static Uni<Void> addDecision(SqlConnection conn, long applicationId, Centre.Outcome outcome,
                                        String decisionRef, LocalDate decidedOn, LocalDate effectiveOn) {
        return conn.preparedQuery("""
                        INSERT INTO fixed_decision (application_id, outcome, decision_ref, decided_on, effective_on,
                            recorded_at) VALUES ($1, $2, $3, $4, $5, now())""")
                .execute(Tuple.of(applicationId, outcome.name(), decisionRef, decidedOn, effectiveOn))
                .replaceWithVoid();
    }

    /** The centre's applications with their decisions (one, when {@code applicationId} is given), oldest first. */
    public static Uni<List<Centre.Application>> applications(SqlClient sql, String centreId, Long applicationId) {
        return sql.preparedQuery("""
                        SELECT a.application_id, a.received_on, a.requested_from, a.planned_use, d.decision_id,
                               d.outcome, d.decision_ref, d.decided_on, d.effective_on
                        FROM fixed_application a LEFT JOIN fixed_decision d ON d.application_id = a.application_id
                        WHERE a.centre_id = $1 AND ($2::bigint IS NULL OR a.application_id = $2)
                        ORDER BY a.application_id, d.decision_id""")
                .execute(Tuple.of(centreId, applicationId))
                .map(rows -> {
                    Map<Long, Centre.Application> byId = new LinkedHashMap<>();
                    for (Row r : rows) {
                        Centre.Application a = byId.computeIfAbsent(r.getLong(0), id -> new Centre.Application(id,
                                centreId, r.getLocalDate(1), r.getLocalDate(2), r.getString(3), new ArrayList<>()));
                        if (r.getLong(4) != null) {
                            a.decisions().add(new Centre.Decision(r.getLong(4), Centre.Outcome.valueOf(r.getString(5)),
                                    r.getString(6), r.getLocalDate(7), r.getLocalDate(8)));
                        }
                    }
                    return List.copyOf(byId.values());
                });
    }

    private static Uni<Map<String, CentreHistory>> histories(SqlClient sql, String centreId, boolean withFigures) {
        Map<String, List<CentreHistory.FixedPeriod>> periods = new HashMap<>();
        Map<String, List<CentreHistory.Figures>> figures = new HashMap<>();
        Tuple which = Tuple.of(centreId);
        return sql.preparedQuery(PERIODS).execute(which)
                .invoke(rows -> rows.forEach(r -> {
                    List<CentreHistory.FixedPeriod> list = periods.computeIfAbsent(r.getString(0), c -> new ArrayList<>());
                    if (r.getLocalDate(1) != null) {
                        list.add(new CentreHistory.FixedPeriod(r.getLocalDate(1), r.getLocalDate(2), r.getString(3)));
                    }
                }))
                .chain(() -> withFigures ? sql.preparedQuery(FIGURES).execute(which)
                        .invoke(rows -> rows.forEach(r -> figures.computeIfAbsent(r.getString(0), c -> new ArrayList<>())
                                .add(new CentreHistory.Figures(r.getLocalDate(1), r.getBigDecimal(2), r.getInteger(3)))))
                        .replaceWithVoid() : Uni.createFrom().voidItem())
                .map(ignored -> {
                    Map<String, CentreHistory> histories = new HashMap<>();
                    periods.forEach((id, list) -> histories.put(id,
                            new CentreHistory(id, list, figures.getOrDefault(id, List.of()))));
                    return histories;
                });
    }

    private static Centre centre(Row r, CentreHistory history) {
        return new Centre(r.getString(0), r.getString(1), r.getString(2), r.getBigDecimal(3), r.getInteger(4),
                history != null ? history : new CentreHistory(r.getString(0), List.of(), List.of()));
    }
}
