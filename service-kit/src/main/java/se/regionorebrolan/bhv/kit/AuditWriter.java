package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Writes audit records in groups ({@link GroupedWrites}): the records of the requests that finish while a write is on
 * its way go together in the next one (one commit for many requests under load, at once at light load). Each
 * request waits for its own record to be committed before its answer leaves; a failed write fails every request in it.
 */
@ApplicationScoped
public class AuditWriter {

    private static final int MAX_GROUP = 500;

    private final GroupedWrites<AuditPolicy.Row, Boolean> writes;

    public AuditWriter(Pool pool) {
        // one statement, one round trip and one transaction for the whole group
        this.writes = new GroupedWrites<>(MAX_GROUP, GroupedWrites.UNDER_LOAD,
                rows -> pool.preparedQuery(AuditPolicy.INSERT).execute(AuditPolicy.parameters(rows))
                        .map(done -> rows.stream().map(row -> true).toList()));
    }

    /** Completes when the rows are committed (at once when there are none). */
    public Uni<Void> append(List<AuditPolicy.Row> rows) {
        return writes.submitAll(rows).replaceWithVoid();
    }
}
