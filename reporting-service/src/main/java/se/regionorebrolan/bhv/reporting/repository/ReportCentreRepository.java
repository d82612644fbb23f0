package se.regionorebrolan.bhv.reporting.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.CentreData;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** All SQL of {@code report_centre} (each centre's latest state) and {@code report_centre_fixed_period}. */
@ApplicationScoped
public class ReportCentreRepository {

    /** The centre {@code c} was on the fixed model on a day between $2 and $3 (an approved period overlaps them). */
    private static final String FIXED_IN_YEAR = """
            EXISTS (SELECT 1 FROM report_centre_fixed_period p WHERE p.centre_id = c.centre_id AND p.from_date <= $3
                      AND (p.until IS NULL OR p.until > $2))""";

    /** A centre as the reports show it; {@code fixedFrom}: the latest approval start within the year, if any. */
    public record ReportCentre(String centreId, String name, String municipality, String compensationModel,
                               BigDecimal childCni, Integer listedChildren0to5, LocalDate fixedFrom,
                               boolean fixedInYear) {
    }

    private final Pool pool;

    public ReportCentreRepository(Pool pool) {
        this.pool = pool;
    }

    /** Whether the centre was on the fixed model on a day of the year; null when the centre is not known. */
    public Uni<Boolean> fixedIn(String centreId, int year) {
        return pool.preparedQuery("SELECT " + FIXED_IN_YEAR + " FROM report_centre c WHERE c.centre_id = $1")
                .execute(Tuple.of(centreId, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBoolean(0) : null);
    }

    /** Every known centre, in id order, with its fixed-model standing in the year. */
    public static Uni<List<ReportCentre>> all(SqlClient sql, int year) {
        return sql.preparedQuery("""
                        SELECT c.centre_id, c.name, c.municipality, c.compensation_model, c.child_cni,
                               c.listed_children,
                               (SELECT max(p.from_date) FROM report_centre_fixed_period p WHERE p.centre_id = c.centre_id
                                  AND p.from_date <= $2 AND (p.until IS NULL OR p.until > $1)),
                               """ + FIXED_IN_YEAR.replace("$2", "$1").replace("$3", "$2") + """
                        FROM report_centre c ORDER BY c.centre_id""")
                .execute(Tuple.of(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31)))
                .map(rows -> {
                    List<ReportCentre> centres = new ArrayList<>();
                    rows.forEach(r -> centres.add(new ReportCentre(r.getString(0), r.getString(1), r.getString(2),
                            r.getString(3), r.getBigDecimal(4), r.getInteger(5), r.getLocalDate(6),
                            r.getBoolean(7))));
                    return centres;
                });
    }

    /** A centre's state and when compensation-service wrote it (the event's time; null in a record without one). */
    public record CentreState(CentreData centre, Instant time) {
    }

    /**
     * Stores the centres' states, each only if it is not older than the state stored (a state without a time never
     * replaces one with a time); answers the ids of the centres stored that are new or moved to another municipality.
     */
    public static Uni<String[]> upsert(SqlConnection conn, List<CentreState> states) {
        List<CentreData> centres = states.stream().map(CentreState::centre).toList();
        String[] ids = centres.stream().map(CentreData::centreId).toArray(String[]::new);
        Map<String, String> before = new HashMap<>();
        return conn.preparedQuery("SELECT centre_id, municipality FROM report_centre WHERE centre_id = ANY($1)")
                .execute(Tuple.of((Object) ids))
                .invoke(rows -> rows.forEach(r -> before.put(r.getString(0), r.getString(1))))
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO report_centre (centre_id, name, municipality, compensation_model, child_cni,
                            listed_children, fixed_approved_from, state_time, updated_at)
                        SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[],
                                                    $6::int[], $7::date[], $8::timestamptz[])
                        ON CONFLICT (centre_id) DO UPDATE SET name = EXCLUDED.name,
                            municipality = EXCLUDED.municipality, compensation_model = EXCLUDED.compensation_model,
                            child_cni = EXCLUDED.child_cni, listed_children = EXCLUDED.listed_children,
                            fixed_approved_from = EXCLUDED.fixed_approved_from, state_time = EXCLUDED.state_time,
                            updated_at = EXCLUDED.updated_at
                        WHERE report_centre.state_time IS NULL OR EXCLUDED.state_time >= report_centre.state_time
                        RETURNING centre_id""")
                        .execute(Tuple.from(new Object[] {ids,
                                centres.stream().map(CentreData::name).toArray(String[]::new),
                                centres.stream().map(CentreData::municipality).toArray(String[]::new),
                                centres.stream().map(CentreData::compensationModel).toArray(String[]::new),
                                centres.stream().map(CentreData::childCni).toArray(BigDecimal[]::new),
                                centres.stream().map(CentreData::listedChildren0to5).toArray(Integer[]::new),
                                centres.stream().map(CentreData::fixedApprovedFrom).toArray(LocalDate[]::new),
                                states.stream().map(s -> s.time() == null ? null : s.time().atOffset(ZoneOffset.UTC))
                                        .toArray(OffsetDateTime[]::new)})))
                .map(rows -> {
                    Set<String> stored = new HashSet<>();
                    rows.forEach(r -> stored.add(r.getString(0)));
                    return centres.stream().filter(c -> stored.contains(c.centreId())).toList();
                })
                .chain(stored -> fixedPeriods(conn, stored).map(ignored -> stored.stream()
                        .filter(c -> !c.municipality().equals(before.get(c.centreId())))
                        .map(CentreData::centreId).toArray(String[]::new)));
    }

    /**
     * The centres' approved periods of the fixed model, replaced by each record's; a record without them (written
     * before the second round) stands for one open period from its approval date when it is a fixed-model centre.
     */
    private static Uni<Void> fixedPeriods(SqlConnection conn, List<CentreData> centres) {
        List<String> ids = new ArrayList<>();
        List<LocalDate> from = new ArrayList<>();
        List<LocalDate> until = new ArrayList<>();
        for (CentreData c : centres) {
            List<CentreData.FixedPeriod> periods = c.fixedPeriods() != null ? c.fixedPeriods()
                    : "FIXED_EXTENDED".equals(c.compensationModel()) && c.fixedApprovedFrom() != null
                    ? List.of(new CentreData.FixedPeriod(c.fixedApprovedFrom(), null)) : List.of();
            for (CentreData.FixedPeriod p : periods) {
                ids.add(c.centreId());
                from.add(p.from());
                until.add(p.until());
            }
        }
        return conn.preparedQuery("DELETE FROM report_centre_fixed_period WHERE centre_id = ANY($1)")
                .execute(Tuple.of((Object) centres.stream().map(CentreData::centreId).toArray(String[]::new)))
                .chain(() -> conn.preparedQuery("INSERT INTO report_centre_fixed_period (centre_id, from_date, until)"
                                + " SELECT * FROM unnest($1::text[], $2::date[], $3::date[]) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(ids.toArray(String[]::new), from.toArray(LocalDate[]::new),
                                until.toArray(LocalDate[]::new))))
                .replaceWithVoid();
    }
}
