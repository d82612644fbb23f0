package se.regionorebrolan.bhv.kit;

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

        /** The values of {@link #INSERT}'s parameters, in order. */
        public Object[] values() {
            return new Object[] {actor, roles, centre, action, ids, status, occurrences};
        }
    }

    /** The statement that appends a row (a batch of them: one per row). */
    public static final String INSERT = "INSERT INTO audit_event (actor, roles, centre, action, ids, status,"
            + " occurrences) VALUES ($1, $2, $3, $4, $5, $6, $7)";

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
