package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * How a consumer's batch transaction has its statements planned: a batch looks a few hundred keys up in tables of
 * any size ({@code visit_id = ANY($1)}, {@code child_id = ANY($1)}), which an index answers in well under a
 * millisecond, while a sequential scan compares every row of the table with every key — the cost grows with the
 * table times the batch. PostgreSQL chose such scans whenever its statistics said the table was small: a generic
 * plan made while a table was nearly empty kept scanning it after it had grown (compensation-service's look-up of
 * the batch's visits took 80 ms a batch in one benchmark run of four, against 1 ms in the others), and a custom
 * plan scanned tables of tens of thousands of rows (issue 18). So within the batch's transaction every statement
 * reads by an index where there is one, and is planned once per connection (the generic plan), not again for
 * every batch. Only the batch's own transaction: reports and other reads keep the planner's own choice.
 */
public final class KeyedBatch {

    private KeyedBatch() {
    }

    /** The first statement of a batch transaction. */
    public static Uni<Void> plan(SqlConnection conn) {
        return conn.query("SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_generic_plan").execute()
                .replaceWithVoid();
    }
}
