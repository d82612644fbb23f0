package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes that share a statement: who goes in which group, who gets which outcome, and who fails when a write fails.
 * The "database" is a write the test completes by hand; each item's outcome is its text upper-cased.
 */
class GroupedWritesTests {

    /** The writes asked for, in order, each with the items of its group; the test completes them one at a time. */
    private final List<List<String>> groups = new ArrayList<>();
    private final List<UniEmitter<? super List<String>>> running = new ArrayList<>();
    private final Function<List<String>, Uni<List<String>>> database = group -> Uni.createFrom().emitter(e -> {
        groups.add(group);
        running.add(e);
    });
    /** Never waiting for a group to fill (that is {@link #underLoadAWriteWaitsForAsManyItemsAsTheLastOneHad}). */
    private final GroupedWrites<String, String> writes = new GroupedWrites<>(3, Duration.ZERO, database);

    private void succeed() {
        List<String> group = groups.get(groups.size() - running.size());
        running.remove(0).complete(group.stream().map(String::toUpperCase).toList());
    }

    private void fail(Throwable failure) {
        running.remove(0).fail(failure);
    }

    private static CompletableFuture<String> submitted(GroupedWrites<String, String> writes, String item) {
        return writes.submit(item).subscribeAsCompletionStage();
    }

    private static PgException refused(String sqlState) {
        return new PgException("value refused", "ERROR", sqlState, null);
    }

    @Test
    void itemsSubmittedWhileAWriteIsOnItsWayShareTheNextInTheirOrder() {
        CompletableFuture<String> a = submitted(writes, "a");
        assertEquals(List.of(List.of("a")), groups, "alone at rest: written at once");
        CompletableFuture<String> b = submitted(writes, "b");
        CompletableFuture<List<String>> cd = writes.submitAll(List.of("c", "d")).subscribeAsCompletionStage();
        assertEquals(1, groups.size(), "one write at a time");
        succeed();
        assertEquals("A", a.join());
        assertEquals(List.of(List.of("a"), List.of("b", "c", "d")), groups, "the three waiting share the next");
        assertFalse(b.isDone(), "nobody is answered before their write is done");
        succeed();
        assertEquals("B", b.join());
        assertEquals(List.of("C", "D"), cd.join(), "each caller gets its own outcomes, in its order");
        assertTrue(running.isEmpty());
    }

    @Test
    void underLoadAWriteWaitsForAsManyItemsAsTheLastOneHad() throws InterruptedException {
        GroupedWrites<String, String> gathering = new GroupedWrites<>(3, Duration.ofMillis(300), database);
        submitted(gathering, "a");
        submitted(gathering, "b");
        submitted(gathering, "c");
        succeed();
        succeed(); // b and c went together: under load
        CompletableFuture<String> d = submitted(gathering, "d");
        assertEquals(2, groups.size(), "d waits for a second item, as the last write had two");
        CompletableFuture<String> e = submitted(gathering, "e");
        assertEquals(List.of("d", "e"), groups.get(2), "written as soon as the second came");
        succeed();
        assertEquals(List.of("D", "E"), List.of(d.join(), e.join()));

        CompletableFuture<String> f = submitted(gathering, "f");
        long waiting = System.nanoTime();
        while (groups.size() == 3 && System.nanoTime() - waiting < 10_000_000_000L) {
            Thread.sleep(5);
        }
        assertEquals(List.of("f"), groups.get(3), "alone when no second came within the time");
        assertTrue(System.nanoTime() - waiting >= 250_000_000L, "but only after waiting for one");
        succeed();
        assertEquals("F", f.join());
        CompletableFuture<String> g = submitted(gathering, "g");
        assertEquals(List.of("g"), groups.get(4), "after a write of one, the next is written at once");
        succeed();
        assertEquals("G", g.join());
    }

    @Test
    void aGroupHoldsAtMostItsLimitAndTheRestGoNext() {
        submitted(writes, "a");
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (String item : List.of("b", "c", "d", "e")) {
            waiting.add(submitted(writes, item));
        }
        succeed();
        succeed();
        succeed();
        assertEquals(List.of(List.of("a"), List.of("b", "c", "d"), List.of("e")), groups);
        assertEquals(List.of("B", "C", "D", "E"), waiting.stream().map(CompletableFuture::join).toList());
    }

    @Test
    void aDataRefusalIsWrittenAgainOneByOneAndFailsOnlyTheItemAtFault() {
        submitted(writes, "a");
        CompletableFuture<String> b = submitted(writes, "b");
        CompletableFuture<String> bad = submitted(writes, "\u0000");
        CompletableFuture<String> c = submitted(writes, "c");
        succeed();
        fail(refused("22021")); // PostgreSQL: invalid byte sequence (a NUL in a text)
        assertEquals(List.of("b"), groups.get(2), "then each item alone, in order");
        succeed();
        PgException atFault = refused("22021");
        fail(atFault);
        succeed();
        assertEquals(List.of(List.of("a"), List.of("b", "\u0000", "c"), List.of("b"), List.of("\u0000"), List.of("c")),
                groups);
        assertEquals("B", b.join());
        assertEquals("C", c.join());
        assertTrue(bad.isCompletedExceptionally());
        assertSame(atFault, bad.handle((ok, failure) -> failure.getCause() != null ? failure.getCause() : failure)
                .join(), "the item at fault gets its own refusal");
    }

    @Test
    void anyOtherFailureFailsTheWholeGroupAndTheNextGroupIsWrittenStill() {
        submitted(writes, "a");
        CompletableFuture<String> b = submitted(writes, "b");
        CompletableFuture<String> c = submitted(writes, "c");
        succeed();
        fail(refused("57P01")); // the database going away is not the data's fault: no retry item by item
        assertTrue(b.isCompletedExceptionally());
        assertTrue(c.isCompletedExceptionally());
        assertEquals(2, groups.size());
        CompletableFuture<String> d = submitted(writes, "d");
        succeed();
        assertEquals("D", d.join(), "the writer goes on after a failed group");
    }

    @Test
    void nothingToWriteIsAnsweredAtOnceWithoutAWrite() {
        assertEquals(List.of(), writes.submitAll(List.of()).await().atMost(Duration.ofSeconds(1)));
        assertTrue(groups.isEmpty());
    }

    @Test
    void onlyRefusedDataCountsAsTheItemsFault() {
        assertTrue(GroupedWrites.refusedData(refused("23505")), "unique violation");
        assertTrue(GroupedWrites.refusedData(refused("22P05")), "untranslatable character");
        assertFalse(GroupedWrites.refusedData(refused("57P01")), "admin shutdown");
        assertFalse(GroupedWrites.refusedData(refused("40001")), "serialization failure");
        assertFalse(GroupedWrites.refusedData(new IllegalStateException("connection closed")));
    }
}
