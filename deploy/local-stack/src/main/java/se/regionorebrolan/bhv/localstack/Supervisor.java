package se.regionorebrolan.bhv.localstack;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches the local stack's processes as Kubernetes watches pods: one that dies is started again, after a back-off
 * that doubles from one second to half a minute while it keeps dying (and is forgotten once it has run a minute),
 * and the stack's console says so. A process held down on purpose ({@link #hold}) is left alone until released.
 */
final class Supervisor implements AutoCloseable {

    /** A supervised process. */
    interface Child {
        boolean alive();

        /** Starts it again (blocking until it is up, where the child can tell). */
        void start() throws Exception;

        /** A child from its two operations. */
        static Child of(java.util.function.BooleanSupplier alive, Starter start) {
            return new Child() {
                public boolean alive() {
                    return alive.getAsBoolean();
                }

                public void start() throws Exception {
                    start.start();
                }
            };
        }
    }

    /** Starts a child again. */
    interface Starter {
        void start() throws Exception;
    }

    private static final Duration CHECK = Duration.ofMillis(500);
    private static final Duration MAX_BACK_OFF = Duration.ofSeconds(30);
    private static final Duration STABLE = Duration.ofMinutes(1);

    private static final class State {
        final Child child;
        volatile boolean held;
        int restarts;
        Duration backOff = Duration.ofSeconds(1);
        Instant diedAt;
        Instant startedAt = Instant.now();

        State(Child child) {
            this.child = child;
        }
    }

    private final Map<String, State> children = new LinkedHashMap<>();
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean closed;

    Supervisor(PrintStream out) {
        this.out = out;
        this.thread = new Thread(this::watch, "local-stack-supervisor");
        this.thread.setDaemon(true);
    }

    synchronized void supervise(String name, Child child) {
        children.put(name, new State(child));
        if (!thread.isAlive()) {
            thread.start();
        }
    }

    /** Leaves the process down (it is being stopped on purpose) until {@link #release}. */
    synchronized void hold(String name) {
        children.get(name).held = true;
    }

    /** Watches the process again: started at once if it is down. */
    synchronized void release(String name) {
        State state = children.get(name);
        state.held = false;
        state.diedAt = null;
        state.backOff = Duration.ofSeconds(1);
    }

    /** How many times the supervisor has started the process again. */
    synchronized int restarts(String name) {
        return children.get(name).restarts;
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(CHECK.toMillis());
            } catch (InterruptedException stopping) {
                return; // the stack is being stopped
            }
            Map<String, State> now;
            synchronized (this) {
                now = new LinkedHashMap<>(children);
            }
            now.forEach(this::check);
        }
    }

    private void check(String name, State state) {
        if (closed || state.held) {
            return;
        }
        Instant now = Instant.now();
        if (state.child.alive()) {
            if (state.diedAt == null && state.startedAt.plus(STABLE).isBefore(now)) {
                state.backOff = Duration.ofSeconds(1);
            }
            return;
        }
        if (state.diedAt == null) {
            state.diedAt = now;
            out.printf("[supervisor] %s is down; starting it again in %d s%n", name, state.backOff.toSeconds());
            return;
        }
        if (state.diedAt.plus(state.backOff).isAfter(now)) {
            return;
        }
        synchronized (this) {
            if (state.held || closed) {
                return;
            }
            try {
                state.child.start();
                state.restarts++;
                state.startedAt = Instant.now();
                state.diedAt = null;
                out.printf("[supervisor] %s started again (restart %d, down %d s)%n", name, state.restarts,
                        Duration.between(now, state.startedAt).plus(state.backOff).toSeconds());
            } catch (Exception e) {
                state.diedAt = Instant.now();
                out.printf("[supervisor] %s did not start (%s); trying again in %d s%n", name, e.getMessage(),
                        state.backOff.toSeconds());
            }
            state.backOff = state.backOff.multipliedBy(2).compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF
                    : state.backOff.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(120).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
