package se.regionorebrolan.bhv.visit.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.visit.Coalesced;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes audit records in groups: the records of the requests that finish while a write is on its way go
 * together in the next one (one commit for many requests under load, at once at light load). Each request waits
 * for its own record to be committed before its answer leaves; a failed write fails every request in it.
 */
@ApplicationScoped
public class AuditWriter {

    private static final int MAX_GROUP = 500;

    private record Pending(Tuple row, CompletableFuture<Void> written) {
    }

    private final Pool pool;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Coalesced writer = new Coalesced(this::writeGroup);

    public AuditWriter(Pool pool) {
        this.pool = pool;
    }

    /** Completes when the record is committed. */
    public Uni<Void> append(String actor, String roles, String centre, String action, String[] ids, int status) {
        Pending pending = new Pending(Tuple.of(actor, roles, centre, action, ids, status), new CompletableFuture<>());
        queue.add(pending);
        writer.request();
        return Uni.createFrom().completionStage(pending.written());
    }

    private Uni<Boolean> writeGroup() {
        List<Pending> group = new ArrayList<>();
        for (Pending next; group.size() < MAX_GROUP && (next = queue.poll()) != null; ) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        // one round trip and one transaction for the whole group
        return pool.preparedQuery("INSERT INTO audit_event (actor, roles, centre, action, ids, status)"
                        + " VALUES ($1, $2, $3, $4, $5, $6)")
                .executeBatch(group.stream().map(Pending::row).toList())
                .map(done -> {
                    group.forEach(p -> p.written().complete(null));
                    return !queue.isEmpty();
                })
                .onFailure().recoverWithItem(failure -> {
                    group.forEach(p -> p.written().completeExceptionally(failure));
                    return !queue.isEmpty();
                });
    }
}
