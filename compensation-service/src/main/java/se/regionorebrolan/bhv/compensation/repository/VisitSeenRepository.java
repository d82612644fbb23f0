package se.regionorebrolan.bhv.compensation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.domain.VisitLedger;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * All SQL of what booking remembers besides the lines: {@code visit_seen}, each visit's latest state as booked (an
 * event whose revision is not newer books nothing: a redelivered event changes nothing).
 */
@ApplicationScoped
public class VisitSeenRepository {

    public static Uni<Map<UUID, VisitLedger.Seen>> seen(SqlClient sql, UUID[] visitIds) {
        return sql.preparedQuery("SELECT visit_id, centre_id, visit_date, revision, retracted"
                        + " FROM visit_seen WHERE visit_id = ANY($1)").execute(Tuple.of(visitIds))
                .map(rows -> {
                    Map<UUID, VisitLedger.Seen> seen = new HashMap<>();
                    rows.forEach(r -> seen.put(r.getUUID(0), new VisitLedger.Seen(r.getUUID(0), r.getString(1),
                            r.getLocalDate(2), r.getInteger(3), r.getBoolean(4))));
                    return seen;
                });
    }

    public static Uni<Void> save(SqlClient sql, List<VisitLedger.Seen> seen) {
        if (seen.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery("""
                        INSERT INTO visit_seen (visit_id, centre_id, visit_date, revision, retracted, seen_at)
                        SELECT v, c, d, r, x, now() FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[],
                                                                $5::bool[]) AS t(v, c, d, r, x)
                        ON CONFLICT (visit_id) DO UPDATE SET centre_id = EXCLUDED.centre_id,
                            visit_date = EXCLUDED.visit_date, revision = EXCLUDED.revision,
                            retracted = EXCLUDED.retracted, seen_at = EXCLUDED.seen_at""")
                .execute(Tuple.of(
                        seen.stream().map(VisitLedger.Seen::visitId).toArray(UUID[]::new),
                        seen.stream().map(VisitLedger.Seen::centreId).toArray(String[]::new),
                        seen.stream().map(VisitLedger.Seen::visitDate).toArray(LocalDate[]::new),
                        seen.stream().map(VisitLedger.Seen::revision).toArray(Integer[]::new),
                        seen.stream().map(VisitLedger.Seen::retracted).toArray(Boolean[]::new)))
                .replaceWithVoid();
    }
}
