package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Writes that share a statement and a commit: the items submitted while a write is on its way go together in the
 * next one (one round trip and one durable commit for many callers under load; at once, alone, at light load). Each
 * caller waits for its own items and gets their outcomes. A write that fails because of what an item holds (the
 * database refused its data: SQLSTATE class 22 or 23) is written again item by item, so that only the item at fault
 * fails; any other failure (the database away) fails every caller in the group, as it would have failed each alone.
 * <p>
 * Under load a write waits a moment ({@code gather}, {@link #UNDER_LOAD} in the services) until as many items are
 * waiting as the last write had, and no longer: at 16 clients this halved the commits per visit and the database's
 * CPU per visit (README, "Figures"). After a write of one item nothing waits, so a lone request is written at once.
 */
public final class GroupedWrites<I, O> {

    private record Pending<I, O>(I item, CompletableFuture<O> done) {
    }

    /** A write waiting for {@code want} items to be queued, or for its time to be up. */
    private record Gathering(int want, CompletableFuture<Void> enough) {
    }

    /** How long a write under load waits for its group to fill: a fraction of a durable commit's time. */
    public static final Duration UNDER_LOAD = Duration.ofMillis(2);

    private final int maxGroup;
    private final long gatherMillis;
    private final Function<List<I>, Uni<List<O>>> write;
    private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Coalesced writer = new Coalesced(this::writeGroup);
    private volatile int lastGroup;
    private volatile Gathering gathering;

    /**
     * {@code write} writes a group in one statement and answers one outcome per item, in the group's order; under
     * load a write waits at most {@code gather} for as many items as the last one had (zero: never).
     */
    public GroupedWrites(int maxGroup, Duration gather, Function<List<I>, Uni<List<O>>> write) {
        this.maxGroup = maxGroup;
        this.gatherMillis = gather.toMillis();
        this.write = write;
    }

    /** The outcomes of the items, in their order, once they are written (at once when there are none). */
    public Uni<List<O>> submitAll(List<I> items) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<CompletableFuture<O>> done = new ArrayList<>(items.size());
        for (I item : items) {
            Pending<I, O> pending = new Pending<>(item, new CompletableFuture<>());
            done.add(pending.done());
            queue.add(pending);
        }
        int waiting = queued.addAndGet(items.size());
        Gathering filling = gathering;
        if (filling != null && waiting >= filling.want()) {
            filling.enough().complete(null);
        }
        writer.request();
        return Uni.createFrom().completionStage(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)))
                .map(all -> done.stream().map(CompletableFuture::join).toList());
    }

    public Uni<O> submit(I item) {
        return submitAll(List.of(item)).map(outcomes -> outcomes.get(0));
    }

    /** Whether the database refused a statement for the data it was given (not for being away or busy). */
    static boolean refusedData(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }

    /** The next write: at once, or once as many items wait as the last write had (at most {@code gather} later). */
    private Uni<Boolean> writeGroup() {
        int want = Math.min(lastGroup, maxGroup);
        int waiting = queued.get();
        if (gatherMillis == 0 || want <= 1 || waiting == 0 || waiting >= want) {
            return writeNext();
        }
        Gathering filling = new Gathering(want, new CompletableFuture<>());
        gathering = filling;
        if (queued.get() >= want) { // filled between the count above and the gathering being seen
            filling.enough().complete(null);
        }
        return Uni.createFrom().completionStage(filling.enough().completeOnTimeout(null, gatherMillis,
                TimeUnit.MILLISECONDS)).chain(() -> {
                    gathering = null;
                    return writeNext();
                });
    }

    private Uni<Boolean> writeNext() {
        List<Pending<I, O>> group = new ArrayList<>();
        for (Pending<I, O> next; group.size() < maxGroup && (next = queue.poll()) != null; ) {
            group.add(next);
        }
        queued.addAndGet(-group.size());
        if (group.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        lastGroup = group.size();
        return written(group).onFailure(failure -> group.size() > 1 && refusedData(failure))
                .recoverWithUni(refused -> oneByOne(group, 0))
                .onFailure().recoverWithItem(failure -> {
                    group.forEach(p -> p.done().completeExceptionally(failure));
                    return null;
                })
                .map(done -> !queue.isEmpty());
    }

    /** Writes the group and completes its callers; fails (completing none) when the write fails. */
    private Uni<Void> written(List<Pending<I, O>> group) {
        return Uni.createFrom().deferred(() -> write.apply(group.stream().map(Pending::item).toList()))
                .map(outcomes -> {
                    for (int i = 0; i < group.size(); i++) {
                        group.get(i).done().complete(outcomes.get(i));
                    }
                    return null;
                });
    }

    /** Each item of the group alone, in order: the one at fault fails, the others are written. */
    private Uni<Void> oneByOne(List<Pending<I, O>> group, int from) {
        if (from == group.size()) {
            return Uni.createFrom().voidItem();
        }
        Pending<I, O> one = group.get(from);
        return written(List.of(one)).onFailure().recoverWithItem(failure -> {
            one.done().completeExceptionally(failure);
            return null;
        }).chain(() -> oneByOne(group, from + 1));
    }
}
