package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * An asynchronous task that runs once at a time: requests that come while it runs fold into one more run after
 * it, and no request is left without a run that starts after it. Under load many requests share one run (one
 * database round trip for many callers); at light load each request runs at once.
 */
public final class Coalesced {

    private final Supplier<Uni<Boolean>> task;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();

    /** {@code task} answers whether it left work behind (and so runs again at once); a failure ends the run. */
    public Coalesced(Supplier<Uni<Boolean>> task) {
        this.task = task;
    }

    public void request() {
        wanted.set(true);
        if (running.compareAndSet(false, true)) {
            run();
        }
    }

    private void run() {
        wanted.set(false);
        task.get().subscribe().with(more -> {
            if (more || wanted.get()) {
                run();
            } else {
                finish();
            }
        }, failure -> finish());
    }

    private void finish() {
        running.set(false);
        // a request that came between the last run and here must not be lost
        if (wanted.get() && running.compareAndSet(false, true)) {
            run();
        }
    }
}
