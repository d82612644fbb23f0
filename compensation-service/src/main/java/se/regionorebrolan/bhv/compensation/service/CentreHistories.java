package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.domain.CentreHistory;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the centres' histories (approved decisions and figures) in two queries, on the caller's connection. */
public final class CentreHistories {

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

    private CentreHistories() {
    }

    /** Every registered centre's history (figures only if asked: booking visits needs the models alone). */
    public static Uni<Map<String, CentreHistory>> all(SqlConnection conn, boolean withFigures) {
        return load(conn, null, withFigures);
    }

    /** One centre's history, or an empty map when the centre is not registered. */
    public static Uni<Map<String, CentreHistory>> of(SqlConnection conn, String centreId) {
        return load(conn, centreId, true);
    }

    private static Uni<Map<String, CentreHistory>> load(SqlConnection conn, String centreId, boolean withFigures) {
        Map<String, List<CentreHistory.FixedPeriod>> periods = new HashMap<>();
        Map<String, List<CentreHistory.Figures>> figures = new HashMap<>();
        Tuple which = Tuple.of(centreId);
        return conn.preparedQuery(PERIODS).execute(which)
                .invoke(rows -> rows.forEach(r -> {
                    List<CentreHistory.FixedPeriod> list = periods.computeIfAbsent(r.getString(0), c -> new ArrayList<>());
                    if (r.getLocalDate(1) != null) {
                        list.add(new CentreHistory.FixedPeriod(r.getLocalDate(1), r.getLocalDate(2), r.getString(3)));
                    }
                }))
                .chain(() -> withFigures ? conn.preparedQuery(FIGURES).execute(which)
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
}
