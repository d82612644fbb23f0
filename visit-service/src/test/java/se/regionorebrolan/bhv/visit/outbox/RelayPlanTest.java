package se.regionorebrolan.bhv.visit.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.kit.OutboxRelay;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's read stays linear in the outbox whatever plan PostgreSQL cached for it. The outbox is empty at rest; a
 * prepared statement's generic plan, made then and kept, must not look the parked events up per waiting event when a
 * burst comes. A copy of the outbox in a schema of its own (the service's relay does not see it), analysed empty, is
 * read with the plan made while it held three events, after 3 000 more came. (The relay's statement before this
 * test visited 9 million rows here, each waiting event scanning the whole table for parked ones.)
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class RelayPlanTest {

    private static final int BURST = 3_000;

    @Test
    void aPlanCachedWhileTheOutboxWasEmptyReadsABurstInLinearTime() throws Exception {
        try (Connection c = DriverManager.getConnection(
                TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE), PostgresServer.USER,
                "trust"); Statement sql = c.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS relay_plan CASCADE");
            sql.execute("CREATE SCHEMA relay_plan");
            sql.execute("CREATE TABLE relay_plan.outbox_event (LIKE public.outbox_event INCLUDING ALL)"
                    + " WITH (autovacuum_enabled = false)"); // no ANALYZE replaces the plan meanwhile
            sql.execute("SET search_path = relay_plan");
            sql.execute("SET plan_cache_mode = force_generic_plan"); // what PostgreSQL does after five runs
            sql.execute("VACUUM ANALYZE outbox_event"); // as autovacuum leaves it at rest: empty
            insert(sql, 3);
            sql.execute("PREPARE sendable(int) AS " + OutboxRelay.SELECT_SENDABLE);
            sql.execute("EXECUTE sendable(1000)"); // the plan is made now, for an outbox of three events

            insert(sql, BURST);
            JsonNode plan;
            try (ResultSet rs = sql.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE sendable(1000)")) {
                rs.next();
                plan = new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
            }
            assertEquals(1000, plan.get("Actual Rows").asInt(), "a full batch");
            long visited = rowsVisited(plan);
            assertTrue(visited < 10L * BURST, "rows visited: " + visited + " for " + BURST + " waiting events\n" + plan);
            sql.execute("DROP SCHEMA relay_plan CASCADE");
        }
    }

    private static void insert(Statement sql, int events) throws Exception {
        sql.execute("INSERT INTO outbox_event (event_id, aggregate_id, event_type, payload, created_at)"
                + " SELECT gen_random_uuid(), gen_random_uuid(), 'VisitRecorded', repeat('x', 900), now()"
                + " FROM generate_series(1, " + events + ")");
    }

    /** Every row each node of the plan produced or filtered away, over all of its loops. */
    private static long rowsVisited(JsonNode node) {
        long perLoop = node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                + node.path("Rows Removed by Join Filter").asLong();
        long visited = perLoop * Math.max(1, node.path("Actual Loops").asLong());
        for (JsonNode child : node.path("Plans")) {
            visited += rowsVisited(child);
        }
        return visited;
    }
}
