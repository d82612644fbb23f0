package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.domain.Reconciliation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/** Reads the month's visits seen and the net of their lines per centre, and reconciles them. */
@ApplicationScoped
public class ReconciliationService {

    private static final String SEEN = """
            SELECT visit_id, centre_id, retracted FROM visit_seen WHERE visit_date >= $1 AND visit_date < $2""";
    /** Visit lines of the month's visits, wherever they are booked, and lines of the month for unseen visits. */
    private static final String NETS = """
            SELECT visit_id, centre_id, sum(amount_ore)::bigint AS net FROM payout_line l
            WHERE l.visit_id IN (SELECT visit_id FROM visit_seen WHERE visit_date >= $1 AND visit_date < $2)
               OR (l.period = $3 AND l.visit_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM visit_seen s WHERE s.visit_id = l.visit_id))
            GROUP BY visit_id, centre_id""";

    private final Pool pool;

    public ReconciliationService(Pool pool) {
        this.pool = pool;
    }

    public Uni<Reconciliation.Result> reconcile(YearMonth period) {
        LocalDate from = period.atDay(1);
        LocalDate to = period.plusMonths(1).atDay(1);
        // one snapshot for both reads
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
                .chain(() -> conn.preparedQuery(SEEN).execute(Tuple.of(from, to)))
                .chain(seenRows -> conn.preparedQuery(NETS).execute(Tuple.of(from, to, period.toString()))
                        .map(netRows -> {
                            List<Reconciliation.SeenVisit> seen = new ArrayList<>();
                            for (Row r : seenRows) {
                                seen.add(new Reconciliation.SeenVisit(r.getUUID("visit_id"), r.getString("centre_id"),
                                        r.getBoolean("retracted")));
                            }
                            List<Reconciliation.BookedNet> nets = new ArrayList<>();
                            for (Row r : netRows) {
                                nets.add(new Reconciliation.BookedNet(r.getUUID("visit_id"), r.getString("centre_id"),
                                        r.getLong("net")));
                            }
                            return Reconciliation.reconcile(period.toString(), seen, nets);
                        })));
    }
}
