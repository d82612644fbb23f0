package se.regionorebrolan.bhv.compensation.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The month's statement list, a page of known centres at a time, added up in SQL (the lines themselves never come
 * into memory, however many a month has): one statement per known centre, zeros included.
 */
@ApplicationScoped
public class StatementService {

    /** A page of statements, and whether a next page exists. */
    public record Page(List<Statement> statements, boolean more) {
    }

    private final Pool pool;

    public StatementService(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page> statements(String period, int page, int size) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "SELECT centre_id FROM centre ORDER BY centre_id LIMIT $1 OFFSET $2")
                        .execute(Tuple.of(size + 1, (long) page * size))
                        .chain(rows -> {
                            List<String> centres = new ArrayList<>();
                            rows.forEach(r -> centres.add(r.getString(0)));
                            boolean more = centres.size() > size;
                            List<String> shown = more ? centres.subList(0, size) : centres;
                            return conn.preparedQuery("SELECT EXISTS (SELECT 1 FROM closed_period WHERE period = $1)")
                                    .execute(Tuple.of(period))
                                    .chain(closed -> conn.preparedQuery("""
                                                    SELECT centre_id, kind, sum(amount_ore)::bigint, count(*)
                                                    FROM payout_line WHERE period = $1 AND centre_id = ANY($2)
                                                    GROUP BY 1, 2""")
                                            .execute(Tuple.of(period, shown.toArray(String[]::new)))
                                            .map(sums -> page(period, shown, closed.iterator().next().getBoolean(0),
                                                    sums, more)));
                        }));
    }

    private static Page page(String period, List<String> centres, boolean closed, Iterable<Row> sums, boolean more) {
        Map<String, Map<String, Statement.KindSum>> byCentre = new HashMap<>();
        for (Row r : sums) {
            byCentre.computeIfAbsent(r.getString(0), c -> new HashMap<>())
                    .put(r.getString(1), new Statement.KindSum(r.getLong(2), r.getLong(3)));
        }
        return new Page(centres.stream().map(c -> Statement.of(c, period, closed, byCentre.getOrDefault(c, Map.of())))
                .toList(), more);
    }
}
