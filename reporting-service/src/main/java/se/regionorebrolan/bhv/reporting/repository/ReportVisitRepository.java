package se.regionorebrolan.bhv.reporting.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** All SQL of {@code report_child} (a number per child pseudonym) and {@code report_visit} (each visit's latest state). */
@ApplicationScoped
public class ReportVisitRepository {

    /**
     * The children's numbers (of distinct pseudonyms), new ones drawn for pseudonyms seen for the first time, in one
     * statement: only the new pseudonyms are inserted (a child's later visits find its number; the lookup is by
     * {@code = ANY}, which PostgreSQL answers from the index or a hashed filter, never by hashing the whole table
     * into a join). The caller holds the projection lock, so no other batch draws a number at the same time; should
     * one be missing all the same, the batch fails and is retried, and finds it then.
     */
    public static Uni<Map<String, Integer>> childIds(SqlConnection conn, String[] pseudonyms) {
        return conn.preparedQuery("""
                        WITH known AS (SELECT pseudonym, child_id FROM report_child WHERE pseudonym = ANY($1)),
                        added AS (
                            INSERT INTO report_child (pseudonym)
                            SELECT p FROM unnest($1::text[]) AS p WHERE NOT EXISTS (SELECT 1 FROM known k
                                                                                     WHERE k.pseudonym = p)
                            ON CONFLICT (pseudonym) DO NOTHING
                            RETURNING pseudonym, child_id)
                        SELECT pseudonym, child_id FROM known UNION ALL SELECT pseudonym, child_id FROM added""")
                .execute(Tuple.of(pseudonyms))
                .map(rows -> {
                    Map<String, Integer> ids = new HashMap<>();
                    rows.forEach(r -> ids.put(r.getString(0), r.getInteger(1)));
                    if (ids.size() < pseudonyms.length) {
                        throw new IllegalStateException("a child's number was drawn by another batch at the same time");
                    }
                    return ids;
                });
    }

    /** A centre's visits of a month: all, and those with social services taking part. */
    public record CentreMonth(String centreId, int month, long visits, long jointVisits, long zv509) {
    }

    /** The year's non-retracted visits per centre and month (of one centre, or all when null). */
    public static Uni<List<CentreMonth>> byMonth(io.vertx.mutiny.sqlclient.SqlClient sql, int year, String centreId) {
        return sql.preparedQuery("""
                        SELECT centre_id, extract(month FROM visit_date)::int, count(*),
                               count(*) FILTER (WHERE social_services), count(*) FILTER (WHERE zv509)
                        FROM report_visit
                        WHERE NOT retracted AND visit_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR centre_id = $3)
                        GROUP BY 1, 2 ORDER BY 1, 2""")
                .execute(Tuple.of(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31), centreId))
                .map(rows -> {
                    List<CentreMonth> months = new ArrayList<>();
                    rows.forEach(r -> months.add(new CentreMonth(r.getString(0), r.getInteger(1), r.getLong(2),
                            r.getLong(3), r.getLong(4))));
                    return months;
                });
    }

    /** How many children had a visit in each programme slot in the year (of one centre, or all when null). */
    public static Uni<Map<String, Long>> childrenPerSlot(io.vertx.mutiny.sqlclient.SqlClient sql, int year,
                                                         String centreId) {
        return sql.preparedQuery("""
                        SELECT program_slot, count(DISTINCT child_id) FROM report_visit
                        WHERE NOT retracted AND program_slot <> '' AND visit_date BETWEEN $1 AND $2
                          AND ($3::text IS NULL OR centre_id = $3)
                        GROUP BY 1""")
                .execute(Tuple.of(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31), centreId))
                .map(rows -> {
                    Map<String, Long> children = new HashMap<>();
                    rows.forEach(r -> children.put(r.getString(0), r.getLong(1)));
                    return children;
                });
    }

    /** The children the visits belonged to (before this batch changes them). */
    public static Uni<List<Integer>> childrenOf(SqlConnection conn, UUID[] visitIds) {
        if (visitIds.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery("SELECT child_id FROM report_visit WHERE visit_id = ANY($1)"
                        + " AND child_id IS NOT NULL").execute(Tuple.of(visitIds))
                .map(rows -> {
                    List<Integer> children = new ArrayList<>();
                    rows.forEach(r -> children.add(r.getInteger(0)));
                    return children;
                });
    }

    /** Upserts each visit's latest state (a VisitData or a retraction), keeping the higher revision. */
    public static Uni<Void> upsert(SqlConnection conn, Map<UUID, Object> latest, Map<String, Integer> childIds) {
        int n = latest.size();
        UUID[] id = new UUID[n];
        Integer[] revision = new Integer[n], child = new Integer[n];
        String[] centre = new String[n], slot = new String[n], referrals = new String[n];
        LocalDate[] date = new LocalDate[n];
        Boolean[] joint = new Boolean[n], interpreter = new Boolean[n], risk = new Boolean[n], retracted = new Boolean[n],
                inProgramme = new Boolean[n], zv509 = new Boolean[n];
        int i = 0;
        for (Object event : latest.values()) {
            if (event instanceof VisitData v) {
                id[i] = v.visitId();
                centre[i] = v.centreId();
                date[i] = v.visitDate();
                child[i] = childIds.get(v.childPseudonym());
                slot[i] = v.programSlot() == null ? "" : v.programSlot().name();
                joint[i] = v.socialServicesTookPart();
                interpreter[i] = v.interpreterUsed();
                risk[i] = v.riskFactors() != null && !v.riskFactors().isEmpty();
                referrals[i] = v.referrals() == null ? ""
                        : v.referrals().stream().map(Enum::name).distinct().collect(Collectors.joining(","));
                retracted[i] = false;
                zv509[i] = v.kvaCodes() != null && v.kvaCodes().contains("ZV509");
                inProgramme[i] = v.childBirthDate() != null
                        && v.visitDate().isBefore(ProgramSlot.programmeEnd(v.childBirthDate()));
            } else {
                VisitRetractedData r = (VisitRetractedData) event;
                id[i] = r.visitId();
                centre[i] = r.centreId() == null ? "" : r.centreId();
                joint[i] = false;
                interpreter[i] = false;
                risk[i] = false;
                referrals[i] = "";
                retracted[i] = true;
                inProgramme[i] = false;
                zv509[i] = false;
            }
            revision[i] = event instanceof VisitData v ? v.revision() : ((VisitRetractedData) event).revision();
            i++;
        }
        return conn.preparedQuery("""
                        INSERT INTO report_visit AS v (visit_id, revision, centre_id, visit_date, program_slot,
                            social_services, interpreter_used, has_risk_factor, referrals, retracted, child_id,
                            in_programme, zv509)
                        SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::date[], $5::text[], $6::bool[],
                                             $7::bool[], $8::bool[], $9::text[], $10::bool[], $11::int[], $12::bool[],
                                             $13::bool[])
                        ON CONFLICT (visit_id) DO UPDATE SET
                            revision = EXCLUDED.revision,
                            retracted = EXCLUDED.retracted,
                            centre_id = CASE WHEN EXCLUDED.retracted THEN v.centre_id ELSE EXCLUDED.centre_id END,
                            visit_date = CASE WHEN EXCLUDED.retracted THEN v.visit_date ELSE EXCLUDED.visit_date END,
                            child_id = CASE WHEN EXCLUDED.retracted THEN v.child_id ELSE EXCLUDED.child_id END,
                            program_slot = CASE WHEN EXCLUDED.retracted THEN v.program_slot
                                                ELSE EXCLUDED.program_slot END,
                            social_services = CASE WHEN EXCLUDED.retracted THEN v.social_services
                                                   ELSE EXCLUDED.social_services END,
                            interpreter_used = CASE WHEN EXCLUDED.retracted THEN v.interpreter_used
                                                    ELSE EXCLUDED.interpreter_used END,
                            has_risk_factor = CASE WHEN EXCLUDED.retracted THEN v.has_risk_factor
                                                   ELSE EXCLUDED.has_risk_factor END,
                            referrals = CASE WHEN EXCLUDED.retracted THEN v.referrals ELSE EXCLUDED.referrals END,
                            in_programme = CASE WHEN EXCLUDED.retracted THEN v.in_programme
                                                ELSE EXCLUDED.in_programme END,
                            zv509 = CASE WHEN EXCLUDED.retracted THEN v.zv509 ELSE EXCLUDED.zv509 END
                        WHERE v.revision < EXCLUDED.revision""")
                .execute(Tuple.from(new Object[] {id, revision, centre, date, slot, joint, interpreter,
                        risk, referrals, retracted, child, inProgramme, zv509}))
                .replaceWithVoid();
    }
}
