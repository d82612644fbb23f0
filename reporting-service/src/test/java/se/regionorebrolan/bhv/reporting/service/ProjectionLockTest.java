package se.regionorebrolan.bhv.reporting.service;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.kit.RecordOutcome;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every projection batch waits for the projection lock, a payout line's as much as a visit's: one batch at a time in
 * the service, so that under a burst the report's work does not take the cores from the payouts (issue 18).
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class ProjectionLockTest {

    @Inject
    Pool pool;

    @Inject
    Projector projector;

    @Test
    void aPayoutBatchWaitsWhileAnotherBatchHoldsTheProjectionLock() throws Exception {
        SqlConnection holder = pool.getConnection().await().atMost(Duration.ofSeconds(30));
        try {
            Transaction tx = holder.begin().await().atMost(Duration.ofSeconds(30));
            Projector.lock(holder).await().atMost(Duration.ofSeconds(30));
            PayoutLineBookedData line = new PayoutLineBookedData(990_001L, "lock-test", "2031-01", "2031-01",
                    "FIXED_MONTHLY", null, new BigDecimal("10.00"), "ORDINARY", "2031-v1", "lock test", null, null,
                    null, Instant.parse("2031-01-31T12:00:00Z"));
            byte[] event = EventCodec.writeBytes(EventCodec.envelope(EventType.PAYOUT_LINE_BOOKED, "test", "lock-test",
                    Instant.parse("2031-01-31T12:00:00Z"), line));
            CompletableFuture<List<RecordOutcome>> projected = projector.project(List.of(Projector.Incoming.read(
                    event, Set.of(EventType.PAYOUT_LINE_BOOKED)))).subscribeAsCompletionStage();

            Thread.sleep(1500);
            assertFalse(projected.isDone(), "the payout batch went ahead while another batch held the lock");
            assertEquals(0L, linesOfTheTest(), "nothing projected while the lock is held");

            tx.rollback().await().atMost(Duration.ofSeconds(30));
            assertEquals(List.of(RecordOutcome.PROCESSED), projected.get(30, TimeUnit.SECONDS));
            assertEquals(1L, linesOfTheTest());
        } finally {
            holder.close().await().atMost(Duration.ofSeconds(30));
        }
    }

    private long linesOfTheTest() {
        return pool.query("SELECT count(*) FROM report_payout_line WHERE centre_id = 'lock-test'").execute()
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
    }
}
