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
 * slots by the end of that year. The projector marks the children a batch touched due; their rows are recomputed
 * later, in chunks ({@code ChildSummaries}), and always before a report is computed. A report
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

    /** Marks the children {@code $1} due (their visits changed); a child already due stays marked once. */
    static final String MARK_DUE = "INSERT INTO child_summary_due (child_id) SELECT unnest($1::int[]) ON CONFLICT DO NOTHING";

    /** Marks due the children seen at the centres {@code $1} (a centre moved to another municipality, or became known). */
    static final String MARK_DUE_AT = """
            INSERT INTO child_summary_due (child_id)
            SELECT DISTINCT child_id FROM child_centre_year WHERE centre_id = ANY($1) ON CONFLICT DO NOTHING""";

    /**
     * Takes up to {@code $1} due children after the child {@code $2} off the list, in the order of their numbers, and
     * answers them: an index range that starts past the chunks taken before, whose deleted entries it never reads
     * again (a first version took "any $1" and read the whole list, dead entries included, for every chunk:
     * 1.2 ms per batched visit in the benchmark).
     */
    static final String TAKE_DUE = """
            DELETE FROM child_summary_due WHERE child_id = ANY(ARRAY(
                SELECT child_id FROM child_summary_due WHERE child_id > $2 ORDER BY child_id LIMIT $1))
            RETURNING child_id""";

    public static Uni<Void> markDue(SqlConnection conn, Integer[] children) {
        return children.length == 0 ? Uni.createFrom().voidItem()
                : conn.preparedQuery(MARK_DUE).execute(Tuple.of(children)).replaceWithVoid();
    }

    public static Uni<Void> markDueAt(SqlConnection conn, String[] centres) {
        return conn.preparedQuery(MARK_DUE_AT).execute(Tuple.of((Object) centres)).replaceWithVoid();
    }

    /**
     * Recomputes the summaries of up to {@code limit} due children numbered above {@code after} and takes them off
     * the list, in the caller's transaction (the caller holds the projection lock, so no batch marks or changes a
     * child meanwhile); answers how many it took and the highest number among them.
     */
    public static Uni<Taken> recomputeDue(SqlConnection conn, int after, int limit) {
        return conn.preparedQuery(TAKE_DUE).execute(Tuple.of(limit, after)).chain(rows -> {
            Integer[] children = new Integer[rows.rowCount()];
            int highest = after;
            int i = 0;
            for (Row row : rows) {
                children[i] = row.getInteger(0);
                highest = Math.max(highest, children[i++]);
            }
            Taken taken = new Taken(children.length, highest);
            return children.length == 0 ? Uni.createFrom().item(taken)
                    : recompute(conn, children).replaceWith(taken);
        });
    }

    /** What {@link #recomputeDue} took: how many children, and the highest number (the next chunk starts past it). */
    public record Taken(int count, int highest) {
    }

    /** Recomputes the summaries of the given children. */
    static Uni<Void> recompute(SqlConnection conn, Integer[] children) {
        Tuple ids = Tuple.of(children);
        return conn.preparedQuery(DELETE).execute(ids)
                .chain(() -> conn.preparedQuery(RECOMPUTE).execute(ids))
                .replaceWithVoid();
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
