package se.regionorebrolan.bhv.reporting.repository;

import se.regionorebrolan.bhv.reporting.domain.Results;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Referral;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The per-child summaries the reports read ({@code child_centre_year}, {@code child_municipality_year},
 * {@code child_year}): one row per year, (centre or municipality,) and child with the counts of its non-retracted visits, and whether the child had completed all six
 * slots by the end of that year. The projector recomputes the rows of the children a batch touched; a report
 * groups them by scope and by the child's number of visits, so it reads one row per child and adds up a few hundred
 * groups (the median comes from the counts of children per number of visits).
 */
public final class ChildSummaryRepository {

    private static final String SLOT_COLUMNS = columns(ProgramSlot.values(), "s_");
    private static final String REFERRAL_COLUMNS = columns(Referral.values(), "r_");
    private static final int ALL_SLOTS = (1 << ProgramSlot.values().length) - 1;

    /** Removes the summaries of the children {@code $1}, from the three tables at once. */
    static final String DELETE = """
            WITH centre_years AS (DELETE FROM child_centre_year WHERE child_id = ANY($1)),
                 years AS (DELETE FROM child_year WHERE child_id = ANY($1))
            DELETE FROM child_municipality_year WHERE child_id = ANY($1)""";

    /**
     * Recomputes the summaries of the children {@code $1} from their visits, in one statement: the rows per centre
     * from the visits, and the rows per child and per municipality from the rows per centre just inserted (as the
     * insert returns them, not read back).
     */
    static final String RECOMPUTE = """
            WITH v AS (
                SELECT child_id, centre_id, extract(year FROM visit_date)::int AS year, program_slot, social_services,
                       interpreter_used, has_risk_factor, referrals, in_programme, %s AS bit
                FROM report_visit WHERE child_id = ANY($1) AND NOT retracted),
            cum AS (
                SELECT child_id, year, bit_or(bit_or(bit)) OVER (PARTITION BY child_id ORDER BY year) = %d AS completed,
                       sum(count(*) FILTER (WHERE social_services AND in_programme))
                           OVER (PARTITION BY child_id)::int AS programme_joint
                FROM v GROUP BY child_id, year),
            t AS (
                INSERT INTO child_centre_year (year, centre_id, child_id, visits, joint, interpreter, risk, referred,
                                               %s, %s, completed, programme_joint)
                SELECT v.year, v.centre_id, v.child_id, count(*), count(*) FILTER (WHERE social_services),
                       count(*) FILTER (WHERE interpreter_used), count(*) FILTER (WHERE has_risk_factor),
                       count(*) FILTER (WHERE referrals <> ''), %s, %s, cum.completed, cum.programme_joint
                FROM v JOIN cum ON cum.child_id = v.child_id AND cum.year = v.year
                GROUP BY v.year, v.centre_id, v.child_id, cum.completed, cum.programme_joint
                RETURNING *),
            years AS (
                INSERT INTO child_year (year, child_id, visits, joint, interpreter, risk, referred, %s, %s, completed,
                                        programme_joint)
                SELECT year, child_id, %s FROM t GROUP BY year, child_id)
            INSERT INTO child_municipality_year (year, municipality, child_id, visits, joint, interpreter, risk,
                                                 referred, %s, %s, completed, programme_joint)
            SELECT t.year, coalesce(c.municipality, ''), t.child_id, %s
            FROM t LEFT JOIN report_centre c ON c.centre_id = t.centre_id GROUP BY 1, 2, 3"""
            .formatted(slotBits(), ALL_SLOTS, SLOT_COLUMNS, REFERRAL_COLUMNS,
                    each(ProgramSlot.values(), s -> "count(*) FILTER (WHERE program_slot = '" + s + "')"),
                    each(Referral.values(), r -> "count(*) FILTER (WHERE position('" + r + "' IN referrals) > 0)"),
                    SLOT_COLUMNS, REFERRAL_COLUMNS, summed(),
                    SLOT_COLUMNS, REFERRAL_COLUMNS, summed());

    /** Overall, the children of the year {@code $1} by number of visits and flags. */
    private static final String OVERALL = histogram("''", "child_year", "year = $1");
    /** Per centre. */
    private static final String PER_CENTRE = histogram("centre_id", "child_centre_year", "year = $1");
    /** Per municipality: a child at two centres of one municipality is one child of it. */
    private static final String PER_MUNICIPALITY = histogram("municipality", "child_municipality_year", "year = $1");

    private ChildSummaryRepository() {
    }

    /** Recomputes the summaries of the given children; the caller holds the projection lock ({@code Projector}). */
    public static Uni<Void> recompute(SqlConnection conn, Integer[] children) {
        Tuple ids = Tuple.of(children);
        return conn.preparedQuery(DELETE).execute(ids)
                .chain(() -> conn.preparedQuery(RECOMPUTE).execute(ids))
                .replaceWithVoid();
    }

    /** Recomputes the children seen at the given centres (their municipality changed, or they became known). */
    public static Uni<Void> recomputeAt(SqlConnection conn, String[] centres) {
        return conn.preparedQuery("SELECT DISTINCT child_id FROM child_centre_year WHERE centre_id = ANY($1)")
                .execute(Tuple.of((Object) centres))
                .chain(rows -> {
                    java.util.List<Integer> children = new java.util.ArrayList<>();
                    rows.forEach(r -> children.add(r.getInteger(0)));
                    return children.isEmpty() ? Uni.createFrom().voidItem()
                            : recompute(conn, children.toArray(Integer[]::new));
                });
    }

    public static Uni<Results> overall(SqlConnection conn, int year) {
        return conn.preparedQuery(OVERALL).execute(Tuple.of(year))
                .map(rows -> byScope(rows).getOrDefault("", new Accumulator()).results());
    }

    public static Uni<Map<String, Results>> perCentre(SqlConnection conn, int year) {
        return conn.preparedQuery(PER_CENTRE).execute(Tuple.of(year)).map(ChildSummaryRepository::results);
    }

    public static Uni<Map<String, Results>> perMunicipality(SqlConnection conn, int year) {
        return conn.preparedQuery(PER_MUNICIPALITY).execute(Tuple.of(year)).map(ChildSummaryRepository::results);
    }

    private static Map<String, Results> results(RowSet<Row> rows) {
        Map<String, Results> results = new TreeMap<>();
        byScope(rows).forEach((scope, acc) -> results.put(scope, acc.results()));
        return results;
    }

    private static Map<String, Accumulator> byScope(RowSet<Row> rows) {
        Map<String, Accumulator> scopes = new TreeMap<>();
        for (Row row : rows) {
            scopes.computeIfAbsent(row.getString("scope"), s -> new Accumulator()).add(row);
        }
        return scopes;
    }

    /** Adds up a scope's groups of children (same number of visits and flags). */
    private static final class Accumulator {
        private final TreeMap<Integer, Long> childrenByVisits = new TreeMap<>();
        private long children;
        private long visits;
        private long joint;
        private long interpreter;
        private long risk;
        private long referred;
        private long overTwo;
        private long completed;
        private long programmeOverTwo;
        private final long[] slots = new long[ProgramSlot.values().length];
        private final long[] referrals = new long[Referral.values().length];

        void add(Row row) {
            int n = row.getInteger("visits");
            long count = row.getLong("children");
            childrenByVisits.merge(n, count, Long::sum);
            children += count;
            visits += (long) n * count;
            joint += row.getLong("joint");
            interpreter += row.getLong("interpreter");
            risk += row.getBoolean("risk") ? count : 0;
            referred += row.getBoolean("referred") ? count : 0;
            overTwo += n > 2 ? count : 0;
            completed += row.getBoolean("completed") ? count : 0;
            programmeOverTwo += row.getBoolean("programme_over_two") ? count : 0;
            ProgramSlot[] s = ProgramSlot.values();
            for (int i = 0; i < s.length; i++) {
                slots[i] += row.getLong("s_" + s[i].name().toLowerCase());
            }
            Referral[] r = Referral.values();
            for (int i = 0; i < r.length; i++) {
                referrals[i] += row.getLong("r_" + r[i].name().toLowerCase());
            }
        }

        Results results() {
            Map<String, Long> bySlot = new LinkedHashMap<>();
            for (ProgramSlot slot : ProgramSlot.values()) {
                bySlot.put(slot.name(), slots[slot.ordinal()]);
            }
            Map<String, Long> byReferral = new LinkedHashMap<>();
            for (Referral referral : Referral.values()) {
                byReferral.put(referral.name(), referrals[referral.ordinal()]);
            }
            return new Results(children, visits, joint, bySlot, completed, median(), byReferral, interpreter, risk,
                    overTwo, referred, programmeOverTwo);
        }

        /** The median number of visits per child: the middle child's, or the mean of the two middle ones. */
        private BigDecimal median() {
            if (children == 0) {
                return BigDecimal.ZERO.setScale(1);
            }
            long low = nth((children - 1) / 2);
            long high = nth(children / 2);
            return BigDecimal.valueOf(low + high).divide(BigDecimal.valueOf(2)).setScale(1);
        }

        /** The number of visits of the k-th child (from 0) in the order of their numbers of visits. */
        private long nth(long k) {
            long seen = 0;
            for (Map.Entry<Integer, Long> e : childrenByVisits.entrySet()) {
                seen += e.getValue();
                if (k < seen) {
                    return e.getKey();
                }
            }
            throw new IllegalStateException("fewer children than counted");
        }
    }

    private static String histogram(String scope, String from, String where) {
        return """
                SELECT %s AS scope, visits, risk > 0 AS risk, referred > 0 AS referred, completed,
                       programme_joint > 2 AS programme_over_two,
                       count(*) AS children, sum(joint)::bigint AS joint, sum(interpreter)::bigint AS interpreter, %s, %s
                FROM %s WHERE %s
                GROUP BY 1, 2, 3, 4, 5, 6""".formatted(scope, sumsBigint(SLOT_COLUMNS), sumsBigint(REFERRAL_COLUMNS),
                from, where);
    }

    private static <T> String each(T[] values, Function<String, String> column) {
        return Arrays.stream(values).map(v -> column.apply(v.toString())).collect(Collectors.joining(", "));
    }

    private static <T extends Enum<T>> String columns(T[] values, String prefix) {
        return each(values, v -> prefix + v.toLowerCase());
    }

    /** A child's rows per centre added up (per year, or per year and municipality). */
    private static String summed() {
        return "sum(visits), sum(joint), sum(interpreter), sum(risk), sum(referred), " + sums(SLOT_COLUMNS) + ", "
                + sums(REFERRAL_COLUMNS) + ", bool_or(completed), max(programme_joint)";
    }

    private static String sums(String columns) {
        return Arrays.stream(columns.split(", ")).map(c -> "sum(" + c + ")").collect(Collectors.joining(", "));
    }

    private static String sumsBigint(String columns) {
        return Arrays.stream(columns.split(", ")).map(c -> "sum(" + c + ")::bigint AS " + c)
                .collect(Collectors.joining(", "));
    }

    private static String slotBits() {
        StringBuilder out = new StringBuilder("CASE program_slot");
        ProgramSlot[] slots = ProgramSlot.values();
        for (int i = 0; i < slots.length; i++) {
            out.append(" WHEN '").append(slots[i]).append("' THEN ").append(1 << i);
        }
        return out.append(" ELSE 0 END").toString();
    }
}
