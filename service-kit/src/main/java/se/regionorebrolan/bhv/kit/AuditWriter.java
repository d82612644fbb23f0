package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

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

    /** Completes when the rows are committed (at once when there are none). */
    public Uni<Void> append(List<AuditPolicy.Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<CompletableFuture<Void>> written = new ArrayList<>();
        for (AuditPolicy.Row r : rows) {
            Pending pending = new Pending(Tuple.from(r.values()), new CompletableFuture<>());
            written.add(pending.written());
            queue.add(pending);
        }
        writer.request();
        return Uni.createFrom().completionStage(CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)));
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
        return pool.preparedQuery(AuditPolicy.INSERT)
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
