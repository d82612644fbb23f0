package se.regionorebrolan.bhv.kit;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.util.function.Supplier;

/**
 * The consumers' retry policy, through SmallRye Fault Tolerance: work that fails as a whole (the database away) is
 * tried again, 200 ms after the first failure, doubling up to 30 s between tries, for as long as it takes. Neither
 * the number of tries nor their duration is bounded ({@code maxRetries = -1}, {@code maxDuration = 0}: the defaults
 * would give up after 3 tries or 3 minutes, and a consumer that gives up skips records or stops for good). Every
 * failure is retried, not only {@link Exception}s (the default {@code retryOn}): the reactive PostgreSQL client fails
 * a transaction whose connection the database closed with a bare {@link Throwable} ("Connection is not active now,
 * current status: CLOSED"), and that failure, passed on unretried, stopped the consumer's channel for good after a
 * database crash (ChaosIT on a slow machine).
 */
@ApplicationScoped
public class BatchRetry {

    @Retry(maxRetries = -1, maxDuration = 0, delay = 200, jitter = 50, retryOn = Throwable.class)
    @ExponentialBackoff(factor = 2, maxDelay = 30_000)
    public <T> Uni<T> untilDone(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(work::get);
    }
}
