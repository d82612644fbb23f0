package se.regionorebrolan.bhv.reporting.repository;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** A projected line writes the index entries its reads use, and no others (two of four were never read). */
    @Test
    void aPayoutLineIsIndexedOnlyForTheReadsThatUseIt() {
        List<String> indexes = new ArrayList<>();
        pool.query("SELECT indexname FROM pg_indexes WHERE tablename = 'report_payout_line' ORDER BY 1").execute()
                .await().atMost(Duration.ofSeconds(30)).forEach(r -> indexes.add(r.getString(0)));
        assertEquals(List.of("report_payout_line_grant_year", "report_payout_line_pkey"), indexes);
    }
}
