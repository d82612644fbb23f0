package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.compensation.repository.VisitSeenRepository;

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

    private final Pool pool;

    public ReconciliationService(Pool pool) {
        this.pool = pool;
    }

    public Uni<Reconciliation.Result> reconcile(YearMonth period) {
        LocalDate from = period.atDay(1);
        LocalDate to = period.plusMonths(1).atDay(1);
        // one snapshot for both reads
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
                .chain(() -> VisitSeenRepository.dated(conn, from, to))
                .chain(seen -> PayoutLineRepository.visitNets(conn, from, to, period.toString())
                        .map(nets -> Reconciliation.reconcile(period.toString(), seen, nets))));
    }
}
