package se.regionorebrolan.bhv.visit.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.CentreData;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** All SQL of {@code known_centre}, the local copy of the centre registry (visits of unknown centres are refused). */
@ApplicationScoped
public class KnownCentreRepository {

    private final Pool pool;

    public KnownCentreRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the centres in one statement; of a centre that comes more than once, the last. */
    public Uni<Void> store(List<CentreData> centres) {
        Map<String, String> names = new LinkedHashMap<>();
        centres.forEach(centre -> names.put(centre.centreId(), centre.name()));
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("""
                        INSERT INTO known_centre (centre_id, name, updated_at)
                        SELECT id, name, now() FROM unnest($1::text[], $2::text[]) AS c(id, name)
                        ON CONFLICT (centre_id) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at""")
                .execute(Tuple.of(names.keySet().toArray(String[]::new), names.values().toArray(String[]::new)))
                .replaceWithVoid();
    }
}
