package se.regionorebrolan.bhv.visit.messaging;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.kit.BatchRetry;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumers' retry (service-kit {@link BatchRetry}, SmallRye Fault Tolerance) as the application runs it: it goes
 * on past the fault-tolerance default of 3 retries, and waits longer between tries each time. (No limit on the
 * duration: {@code maxDuration = 0}, which SmallRye reads as unbounded; ChaosIT keeps the database away for longer
 * than a minute under load.)
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class BatchRetryTest {

    @Inject
    BatchRetry retry;

    @Test
    void retriesPastTheDefaultLimitWithGrowingPauses() {
        AtomicInteger calls = new AtomicInteger();
        long[] at = new long[6];
        long start = System.nanoTime();
        String answer = retry.untilDone(() -> Uni.createFrom().item(() -> {
            int call = calls.getAndIncrement();
            at[call] = System.nanoTime() - start;
            if (call < 5) {
                throw new IllegalStateException("database away (" + call + ")");
            }
            return "done";
        })).await().atMost(Duration.ofSeconds(30));

        assertEquals("done", answer);
        assertEquals(6, calls.get(), "5 failures, then success: more than the default 3 retries");
        // 200 ms, doubling: at least 200, 400, 800, 1 600, 3 200 ms between tries (jitter at most 50 ms)
        for (int i = 1; i < 6; i++) {
            long pauseMillis = (at[i] - at[i - 1]) / 1_000_000;
            long expected = 200L << (i - 1);
            assertTrue(pauseMillis >= expected - 50, "pause " + i + " was " + pauseMillis + " ms, expected about "
                    + expected);
        }
    }

    /**
     * The reactive PostgreSQL client fails a transaction whose connection the database closed with a
     * {@code NoStackTraceThrowable}, a {@link Throwable} that is no {@link Exception}: it is retried like any other.
     */
    @Test
    void retriesAFailureThatIsNoException() {
        AtomicInteger calls = new AtomicInteger();
        String answer = retry.untilDone(() -> Uni.createFrom().<String>emitter(emitter -> {
            if (calls.getAndIncrement() == 0) {
                emitter.fail(new io.vertx.core.impl.NoStackTraceThrowable(
                        "Connection is not active now, current status: CLOSED"));
            } else {
                emitter.complete("done");
            }
        })).await().atMost(Duration.ofSeconds(10));

        assertEquals("done", answer);
        assertEquals(2, calls.get(), "the bare Throwable was retried once, then the work succeeded");
    }
}
