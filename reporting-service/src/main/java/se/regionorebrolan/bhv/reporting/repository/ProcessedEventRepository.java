package se.regionorebrolan.bhv.reporting.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** All SQL of {@code processed_event}: the event ids already projected (a redelivered event changes nothing). */
@ApplicationScoped
public class ProcessedEventRepository {

    /** Claims the event ids in the caller's transaction; answers those claimed now (not projected before). */
    public static Uni<Set<UUID>> claim(SqlConnection conn, UUID[] ids, String[] types) {
        return conn.preparedQuery("INSERT INTO processed_event (event_id, event_type, processed_at)"
                        + " SELECT e, t, now() FROM unnest($1::uuid[], $2::text[]) AS x(e, t)"
                        + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id")
                .execute(Tuple.of(ids, types))
                .map(claimed -> {
                    Set<UUID> fresh = new HashSet<>();
                    claimed.forEach(row -> fresh.add(row.getUUID(0)));
                    return fresh;
                });
    }
}
