package se.regionorebrolan.bhv.kit;

import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Which audit rows a request leaves (README, "Audit trail"): a caller with a valid token one row — who, roles,
 * centre, the route template, the validated identifiers, the status; requests without a valid token are tallied
 * and written as one row per action and status and window, with their number of occurrences and no identifiers.
 */
public final class AuditPolicy {

    /** One row of {@code audit_event}. */
    public record Row(String actor, String roles, String centre, String action, String[] ids, int status,
                      long occurrences) {
    }

    /** The statement that appends rows, any number in one execution: each parameter an array, one element a row. */
    public static final String INSERT = """
            INSERT INTO audit_event (actor, roles, centre, action, ids, status, occurrences)
            SELECT actor, roles, centre, action, ids::text[], status, occurrences
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[])
                AS t(actor, roles, centre, action, ids, status, occurrences)""";

    /** The parameters of {@link #INSERT} for the rows. */
    public static Tuple parameters(List<Row> rows) {
        return Tuple.from(columns(rows));
    }

    /**
     * The rows as the seven arrays of {@link #INSERT}'s parameters, in its order (actor, roles, centre, action, ids
     * as a text-array literal, status, occurrences), for a statement that appends them with other rows.
     */
    public static Object[] columns(List<Row> rows) {
        int n = rows.size();
        String[] actors = new String[n], roles = new String[n], centres = new String[n], actions = new String[n],
                ids = new String[n];
        Integer[] statuses = new Integer[n];
        Long[] occurrences = new Long[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            actors[i] = row.actor();
            roles[i] = row.roles();
            centres[i] = row.centre();
            actions[i] = row.action();
            ids[i] = arrayLiteral(row.ids());
            statuses[i] = row.status();
            occurrences[i] = row.occurrences();
        }
        return new Object[] {actors, roles, centres, actions, ids, statuses, occurrences};
    }

    /** PostgreSQL's text form of a text array: every element quoted, its quotes and backslashes escaped. */
    static String arrayLiteral(String[] elements) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < elements.length; i++) {
            literal.append(i == 0 ? "\"" : ",\"")
                    .append(elements[i].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }

    public static final String ANONYMOUS = "anonymous";

    private final AnonymousTally tally;

    public AuditPolicy(Duration anonymousWindow) {
        this.tally = new AnonymousTally(anonymousWindow, Instant::now);
    }

    /** {@code actor} null: no valid token. */
    public List<Row> rows(String actor, String roles, String centre, String action, Collection<String> candidateIds,
                          int status) {
        if (actor == null) {
            return tally.add(action, status).stream().map(e -> new Row(ANONYMOUS, "", null, e.action(),
                    new String[0], e.status(), e.occurrences())).toList();
        }
        return List.of(new Row(actor, roles, centre, action,
                AuditEntries.safeIds(candidateIds).toArray(String[]::new), status, 1));
    }
}
