package se.regionorebrolan.bhv.reporting.repository;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.kit.KeyedBatch;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's connections plan every statement for its own parameters: a projection statement prepared while the
 * read model was nearly empty would otherwise keep its generic plan, a sequential scan, as the tables grow (PostgreSQL
 * settles on a generic plan after five runs of a prepared statement).
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class ProjectionPlanTest {

    @Inject
    Pool pool;

    @Test
    void theServiceConnectionsPlanEveryStatementForItsParameters() {
        String mode = pool.query("SHOW plan_cache_mode").execute().await().atMost(Duration.ofSeconds(30))
                .iterator().next().getString(0);
        assertEquals("force_custom_plan", mode);
    }

    /**
     * Within a projection batch the summaries' statements read the batch's children by index, although the tables
     * are small enough here that PostgreSQL would otherwise scan them whole — as it did, comparing every row with
     * every key of the batch, on tables of tens of thousands of rows (KeyedBatch, issue 18).
     */
    @Test
    void aProjectionBatchReadsItsChildrenByIndexWhateverTheTablesSize() {
        Integer[] children = new Integer[400];
        for (int i = 0; i < children.length; i++) {
            children[i] = 1 + i * 7;
        }
        String within = plans(children, true);
        String without = plans(children, false);
        assertTrue(without.contains("Seq Scan on report_visit"), "the planner's own choice here: " + without);
        for (String table : List.of("report_visit", "child_centre_year", "child_year", "child_municipality_year")) {
            assertFalse(within.contains("Seq Scan on " + table), within);
        }
        assertTrue(within.contains("Index Scan on report_visit_child_id")
                || within.contains("Bitmap Index Scan on report_visit_child_id"), within);
        double reltuples = pool.query("SELECT reltuples FROM pg_class WHERE relname = 'report_visit'").execute()
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getDouble(0);
        assertTrue(reltuples < 20_000, "the rolled-back rows left in the statistics: " + reltuples);
    }

    /**
     * The plans of the summaries' statements for the children, in a transaction planned as a batch's or not, with
     * 20 000 visits of other children in report_visit (rolled back: the other tests see none of them; and analysed
     * again after, since the statistics ANALYZE writes into pg_class outlive a rollback).
     */
    private String plans(Integer[] children, boolean asBatch) {
        return pool.withConnection(conn -> conn.begin().flatMap(tx -> (asBatch ? KeyedBatch.plan(conn)
                        : Uni.createFrom().voidItem())
                .chain(() -> conn.query("""
                        INSERT INTO report_visit (visit_id, revision, centre_id, visit_date, program_slot,
                                                  social_services, interpreter_used, has_risk_factor, child_id)
                        SELECT gen_random_uuid(), 1, 'plan-test', date '2026-01-01', 'MONTH_2', false, false, false,
                               1000000 + i % 5000
                        FROM generate_series(1, 20000) i""").execute())
                .chain(() -> conn.query("ANALYZE report_visit").execute())
                .chain(() -> explain(conn, ChildSummaryRepository.DELETE, children))
                .chain(delete -> explain(conn, ChildSummaryRepository.RECOMPUTE, children)
                        .map(recompute -> delete + recompute))
                .call(tx::rollback)
                .call(() -> conn.query("ANALYZE report_visit").execute())))
                .await().atMost(Duration.ofSeconds(60));
    }

    private static Uni<String> explain(SqlConnection conn, String statement, Integer[] children) {
        return conn.preparedQuery("EXPLAIN " + statement).execute(Tuple.of(children)).map(rows -> {
            StringBuilder plan = new StringBuilder();
            rows.forEach(r -> plan.append(r.getString(0)).append('\n'));
            return plan.toString();
        });
    }

    /**
     * A child's summary rows write one index entry each: their key leads with the child, which is how every batch
     * deletes and recomputes them (a second index on child_id doubled the entries).
     */
    @Test
    void aChildsSummaryRowsAreIndexedByTheirKeyAloneLedByTheChild() {
        assertEquals(List.of(
                "child_centre_year: CREATE UNIQUE INDEX child_centre_year_pkey ON child_centre_year USING btree"
                        + " (child_id, year, centre_id)",
                "child_municipality_year: CREATE UNIQUE INDEX child_municipality_year_pkey ON child_municipality_year"
                        + " USING btree (child_id, year, municipality)",
                "child_year: CREATE UNIQUE INDEX child_year_pkey ON child_year USING btree (child_id, year)"),
                indexes("child_centre_year", "child_year", "child_municipality_year"));
    }

    /** A projected line writes the index entries its reads use, and no others (two of four were never read). */
    @Test
    void aPayoutLineIsIndexedOnlyForTheReadsThatUseIt() {
        assertEquals(List.of(
                "report_payout_line: CREATE INDEX report_payout_line_grant_year ON report_payout_line USING btree"
                        + " (for_year, line_id) WHERE (funding_source = 'STATE_GRANT'::text)",
                "report_payout_line: CREATE UNIQUE INDEX report_payout_line_pkey ON report_payout_line USING btree"
                        + " (line_id)"),
                indexes("report_payout_line"));
    }

    /** The indexes of the tables, each as "table: its definition", in that order. */
    private List<String> indexes(String... tables) {
        List<String> indexes = new ArrayList<>();
        pool.preparedQuery("SELECT tablename || ': ' || indexdef FROM pg_indexes WHERE tablename = ANY($1) ORDER BY 1")
                .execute(Tuple.of((Object) tables)).await().atMost(Duration.ofSeconds(30))
                .forEach(r -> indexes.add(r.getString(0).replace(" ON public.", " ON ")));
        return indexes;
    }
}
