package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.TestVisits;
import se.regionorebrolan.bhv.compensation.messaging.VisitBookingTest;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The finance feed under concurrent writers: three months of fixed compensation booked by twelve parallel requests
 * while visit events are booked from Kafka, and a reader polling small pages from its last cursor all the while. The
 * reader must see every line exactly once, in cursor order: a plain sequence cursor would skip a line whose
 * transaction drew its id first but committed last.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class FeedConcurrencyTest {

    @Test
    void aReaderPollingFromItsCursorNeverMissesNorRepeatsALineWhileTransactionsCommitConcurrently() throws Exception {
        for (int i = 1; i <= 6; i++) {
            VisitBookingTest.putCentre("SE2321000164-E00000000092" + i, "FIXED_EXTENDED", "3.0" + i, "2025-10-01");
        }
        String variable = "SE2321000164-E000000000929";
        VisitBookingTest.putCentre(variable, "VARIABLE", "1.00", null);
        String start = lastCursor();

        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> seen = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(14);
        Future<?> reader = pool.submit(() -> {
            String cursor = start;
            boolean drained = false;
            while (!drained) {
                boolean wasWriting = writing.get();
                JsonPath page = given().queryParam("after", cursor).queryParam("limit", 7).get("/api/v1/payout-lines")
                        .then().statusCode(200).extract().jsonPath();
                List<Long> ids = page.getList("lines.lineId", Long.class);
                seen.addAll(ids);
                cursor = page.getString("nextCursor");
                drained = ids.isEmpty() && !wasWriting; // an empty page after the writers finished: the end
            }
        });
        List<Future<?>> writers = new ArrayList<>();
        // setting the yearly amount books October to December 2025 (rule set R1 starts in September 2025), while
        // the same months are asked for eleven times more at once
        writers.add(pool.submit(() -> given().contentType(ContentType.JSON)
                .body(Map.of("amount", "987654.31", "source", "test")).put("/api/v1/fixed-compensation/2025").then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)))));
        for (int request = 0; request < 11; request++) {
            String period = "2025-1" + (request % 3);
            writers.add(pool.submit(() -> given().post("/api/v1/fixed-compensation/" + period + "/book").then()
                    .statusCode(200)));
        }
        List<VisitData> visits = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            VisitData visit = TestVisits.visit(variable, ProgramSlot.MONTH_4, i % 2 == 0, i % 2 == 0 ? "ZV509" : null);
            visits.add(visit);
            CloudEvent event = EventCodec.envelope(EventType.VISIT_RECORDED, "/visit-service",
                    visit.visitId().toString(), Instant.now(), visit);
            writers.add(pool.submit(() -> TopicProbe.send(TestInfrastructure.get().kafka().bootstrapServers(),
                    Topics.VISITS, event.subject(), EventCodec.write(event))));
        }
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        awaitVisitsBooked(visits);
        writing.set(false);
        reader.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        List<Long> all = linesAfter(start);
        assertTrue(all.size() >= 3 * 6 + 60, "fixed lines for 3 months x 6 centres and 60 visit lines: " + all.size());
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no line twice");
        assertEquals(all, seen, "every line, in cursor order, none missed");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "the cursor only moves forward");
        }
    }

    private static void awaitVisitsBooked(List<VisitData> visits) throws InterruptedException {
        Set<String> wanted = new HashSet<>();
        visits.forEach(v -> wanted.add(v.visitId().toString()));
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (allBooked(wanted)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the visit events were not all booked");
    }

    private static boolean allBooked(Set<String> wanted) {
        return new HashSet<>(linesAfter("", "visitId", String.class)).containsAll(wanted);
    }

    private static List<Long> linesAfter(String cursor) {
        return linesAfter(cursor, "lineId", Long.class);
    }

    /** One field of every line after the cursor, page by page. */
    private static <T> List<T> linesAfter(String cursor, String field, Class<T> type) {
        List<T> all = new ArrayList<>();
        while (true) {
            JsonPath page = given().queryParam("after", cursor).queryParam("limit", 1000).get("/api/v1/payout-lines")
                    .then().statusCode(200).extract().jsonPath();
            List<T> values = page.getList("lines." + field, type);
            if (values.isEmpty()) {
                return all;
            }
            all.addAll(values);
            cursor = page.getString("nextCursor");
        }
    }

    private static String lastCursor() {
        List<Long> all = linesAfter("");
        return all.isEmpty() ? "" : Long.toString(all.get(all.size() - 1));
    }
}
