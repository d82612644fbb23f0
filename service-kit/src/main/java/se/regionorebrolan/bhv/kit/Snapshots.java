package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

import java.time.Duration;
import java.util.function.Function;

/**
 * Reads in one consistent snapshot (a read-only, repeatable-read transaction) with a statement timeout, so that no
 * read holds a connection and a core for longer: whole (a statement, a report) or streamed from a cursor (lines
 * that need not fit in memory), the transaction ending when the stream completes, fails or the client goes away.
 */
public final class Snapshots {

    private Snapshots() {
    }

    public static <T> Uni<T> read(Pool pool, Duration timeout, Function<SqlConnection, Uni<T>> read) {
        return pool.withTransaction(conn -> begin(conn, timeout).chain(() -> read.apply(conn)));
    }

    public static <T> Multi<T> stream(Pool pool, Duration timeout, Function<SqlConnection, Multi<T>> read) {
        return Multi.createFrom().resourceFromUni(
                        () -> pool.getConnection().chain(conn -> conn.begin()
                                .call(tx -> begin(conn, timeout))
                                .map(tx -> new Open(conn, tx))
                                .onFailure().call(conn::close)),
                        open -> read.apply(open.conn()))
                .withFinalizer((Function<Open, Uni<Void>>) open -> open.tx().commit().eventually(open.conn()::close));
    }

    private record Open(SqlConnection conn, Transaction tx) {
    }

    private static Uni<Void> begin(SqlConnection conn, Duration timeout) {
        return conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .chain(() -> conn.query("SET LOCAL statement_timeout = " + timeout.toMillis()).execute())
                .replaceWithVoid();
    }
}
