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

    /** Taken by every batch that recomputes summaries: one batch at a time (no deadlocks between batches). */
    private static final long SUMMARY_LOCK = 0x5245504FL;

    public static Uni<Void> lock(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(SUMMARY_LOCK)).replaceWithVoid();
    }

    /** What a summary row holds besides its key. */
    private static final String VALUE_COLUMNS = "visits, joint, interpreter, risk, referred, " + SLOT_COLUMNS + ", "
            + REFERRAL_COLUMNS + ", completed, programme_joint";

    /**
     * Recomputes the summaries of the children {@code $1} from their visits, in one statement: the rows per centre
     * from the visits, the rows per child and per municipality from those; each table's rows are updated in place
     * where their figures changed (an update that keeps the key needs no new index entry when the page has room:
     * the tables leave a fifth of each page free, V12), inserted where new, and deleted where the child has no such
     * row any more (a visit moved or retracted).
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
            centre_rows AS (
                SELECT v.year, v.centre_id, v.child_id, count(*) AS visits,
                       count(*) FILTER (WHERE social_services) AS joint,
                       count(*) FILTER (WHERE interpreter_used) AS interpreter,
                       count(*) FILTER (WHERE has_risk_factor) AS risk,
                       count(*) FILTER (WHERE referrals <> '') AS referred, %s, %s,
                       cum.completed, cum.programme_joint
                FROM v JOIN cum ON cum.child_id = v.child_id AND cum.year = v.year
                GROUP BY v.year, v.centre_id, v.child_id, cum.completed, cum.programme_joint),
            year_rows AS (
                SELECT year, child_id, %s FROM centre_rows GROUP BY year, child_id),
            municipality_rows AS (
                SELECT t.year, coalesce(c.municipality, '') AS municipality, t.child_id, %s
                FROM centre_rows t LEFT JOIN report_centre c ON c.centre_id = t.centre_id GROUP BY 1, 2, 3),
            %s,
            %s,
            %s
            SELECT 1"""
            .formatted(slotBits(), ALL_SLOTS,
                    each(ProgramSlot.values(), s -> "count(*) FILTER (WHERE program_slot = '" + s + "') AS s_"
                            + s.toLowerCase()),
                    each(Referral.values(), r -> "count(*) FILTER (WHERE position('" + r + "' IN referrals) > 0) AS r_"
                            + r.toLowerCase()),
                    summed(), summed(),
                    kept("child_centre_year", "year, centre_id, child_id", "centre_rows"),
                    kept("child_year", "year, child_id", "year_rows"),
                    kept("child_municipality_year", "year, municipality, child_id", "municipality_rows"));

    /**
     * The two steps that make {@code table} hold exactly the rows of {@code rows} for the children {@code $1}: an
     * upsert that writes a row only when its figures changed, and a delete of the rows the children no longer have.
     * (Both see the table as it was before the statement, and touch different rows.)
     */
    private static String kept(String table, String key, String rows) {
        String changed = Arrays.stream(VALUE_COLUMNS.split(", ")).map(c -> table + "." + c)
                .collect(Collectors.joining(", "));
        String match = Arrays.stream(key.split(", ")).map(c -> "r." + c + " = x." + c)
                .collect(Collectors.joining(" AND "));
        return """
                %1$s_kept AS (
                    INSERT INTO %1$s (%2$s, %3$s) SELECT %2$s, %3$s FROM %4$s
                    ON CONFLICT (%2$s) DO UPDATE SET (%3$s) = (%5$s)
                    WHERE (%6$s) IS DISTINCT FROM (%5$s)),
                %1$s_gone AS (
                    DELETE FROM %1$s x WHERE x.child_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM %4$s r WHERE %7$s))"""
                .formatted(table, key, VALUE_COLUMNS, rows,
                        Arrays.stream(VALUE_COLUMNS.split(", ")).map(c -> "EXCLUDED." + c)
                                .collect(Collectors.joining(", ")),
                        changed, match);
    }

    /** Overall, the children of the year {@code $1} by number of visits and flags. */
    private static final String OVERALL = histogram("''", "child_year", "year = $1");
    /** Per centre. */
    private static final String PER_CENTRE = histogram("centre_id", "child_centre_year", "year = $1");
    /** Per municipality: a child at two centres of one municipality is one child of it. */
    private static final String PER_MUNICIPALITY = histogram("municipality", "child_municipality_year", "year = $1");

    private ChildSummaryRepository() {
    }

    /** Recomputes the summaries of the given children; the caller holds the projection lock. */
    public static Uni<Void> recompute(SqlConnection conn, Integer[] children) {
        return conn.preparedQuery(RECOMPUTE).execute(Tuple.of(children)).replaceWithVoid();
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

    /** A child's rows per centre added up (per year, or per year and municipality), under their own names. */
    private static String summed() {
        return Arrays.stream(VALUE_COLUMNS.split(", ")).map(c -> switch (c) {
            case "completed" -> "bool_or(completed) AS completed";
            case "programme_joint" -> "max(programme_joint) AS programme_joint";
            default -> "sum(" + c + ") AS " + c;
        }).collect(Collectors.joining(", "));
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
