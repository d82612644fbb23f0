package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one-run-at-a-time task: every request is served by a run that starts after it, and runs never overlap. */
class CoalescedTests {

    /** A task whose runs the test completes by hand, one at a time. */
    private static final class ManualTask {
        final List<UniEmitter<? super Boolean>> running = new ArrayList<>();
        final AtomicInteger started = new AtomicInteger();

        Uni<Boolean> run() {
            return Uni.createFrom().emitter(emitter -> {
                started.incrementAndGet();
                running.add(emitter);
            });
        }

        void finish(boolean more) {
            running.remove(0).complete(more);
        }

        void fail() {
            running.remove(0).fail(new IllegalStateException("database away"));
        }
    }

    @Test
    void requestsDuringARunFoldIntoOneMoreRun() {
        ManualTask task = new ManualTask();
        Coalesced coalesced = new Coalesced(task::run);
        coalesced.request();
        assertEquals(1, task.started.get(), "a request at rest runs at once");
        coalesced.request();
        coalesced.request();
        coalesced.request();
        assertEquals(1, task.started.get(), "never two runs at once");
        task.finish(false);
        assertEquals(2, task.started.get(), "the three requests during the run share one more run");
        task.finish(false);
        assertEquals(2, task.started.get(), "and nothing runs without a request");
        assertEquals(0, task.running.size());
    }

    @Test
    void aRunThatLeftWorkRunsAgainAtOnce() {
        ManualTask task = new ManualTask();
        Coalesced coalesced = new Coalesced(task::run);
        coalesced.request();
        task.finish(true);
        task.finish(true);
        assertEquals(3, task.started.get());
        task.finish(false);
        assertEquals(3, task.started.get());
    }

    @Test
    void aFailedRunEndsButTheNextRequestRunsAgain() {
        ManualTask task = new ManualTask();
        Coalesced coalesced = new Coalesced(task::run);
        coalesced.request();
        task.fail();
        assertEquals(1, task.started.get(), "a failure is not retried by itself");
        coalesced.request();
        assertEquals(2, task.started.get(), "a later request runs");
        coalesced.request();
        task.fail();
        assertEquals(3, task.started.get(), "a request during a failing run is not lost");
        task.finish(false);
    }
}
