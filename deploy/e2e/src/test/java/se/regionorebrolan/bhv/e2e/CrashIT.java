package se.regionorebrolan.bhv.e2e;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * visit-service is killed (SIGKILL) while visits are being posted, then started again. Every visit that was
 * answered 201 is on Kafka, every event on Kafka is of a stored visit, a re-sent event keeps its id, and
 * compensation-service books each visit exactly once. And compensation-service killed while booking books every
 * visit exactly once after its restart.
 */
class CrashIT {

    @Test
    void killingVisitServiceWhilePostingLosesNothingAndPublishesNothingUncommitted(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        try (LocalStack stack = LocalStack.start(StackSettings.onFreePorts(root, data), System.out)) {
            String visits = stack.baseUrl("visit-service") + "/api/v1/visits";
            Map<String, String> acknowledged = new HashMap<>(); // sourceVisitId -> visitId
            List<String> unknownOutcome = new ArrayList<>();
            AtomicBoolean posting = new AtomicBoolean(true);
            Thread poster = new Thread(() -> {
                for (int i = 0; posting.get(); i++) {
                    String source = "CRASH-" + i;
                    try {
                        Response response = given().contentType(ContentType.JSON).body(body(source)).post(visits);
                        if (response.statusCode() == 201) {
                            acknowledged.put(source, response.path("visitId"));
                        } else {
                            System.out.println("crash: unexpected answer " + response.statusCode() + " " + response.asString());
                            unknownOutcome.add(source);
                        }
                    } catch (Exception connectionLost) {
                        unknownOutcome.add(source);
                    }
                }
            });
            poster.start();
            Thread.sleep(3000);
            stack.kill("visit-service");
            Thread.sleep(500);
            posting.set(false);
            poster.join();
            stack.restart("visit-service");

            // the EHR retries what it got no answer for: it was stored once or not at all
            for (String source : unknownOutcome) {
                Response retry = given().contentType(ContentType.JSON).body(body(source)).post(visits);
                assertTrue(retry.statusCode() == 201 || retry.statusCode() == 200, "retry answered " + retry.statusCode());
                acknowledged.put(source, retry.path("visitId"));
            }
            Set<String> visitIds = new HashSet<>(acknowledged.values());
            assertTrue(visitIds.size() > 10, "enough visits were posted around the crash: " + visitIds.size());

            List<ConsumerRecord<String, String>> records = TopicProbe.read(stack.kafkaBootstrapServers(), Topics.VISITS,
                    rs -> rs.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet())
                            .containsAll(visitIds), Duration.ofSeconds(30));
            Map<String, Set<String>> eventIdsByVisit = new HashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                CloudEvent event = EventCodec.read(record.value());
                assertEquals(EventType.VISIT_RECORDED, event.eventType());
                eventIdsByVisit.computeIfAbsent(record.key(), k -> new HashSet<>()).add(event.id());
            }
            assertEquals(visitIds, eventIdsByVisit.keySet(), "every stored visit is on Kafka, and nothing else is");
            eventIdsByVisit.forEach((visit, ids) -> assertEquals(1, ids.size(), "a re-sent event keeps its id: " + visit));

            String compensation = stack.baseUrl("compensation-service");
            long deadline = System.currentTimeMillis() + 30_000;
            while (feedLines(compensation).size() < visitIds.size() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(1000); // a duplicate would show up now
            List<Object> booked = feedLines(compensation).stream().map(l -> l.get("visitId")).toList();
            assertEquals(visitIds.size(), booked.size(), "one payout line per visit");
            assertEquals(visitIds, new HashSet<>(booked));
            // and compensation-service's own reconciliation agrees: every visit seen has its money, nothing else
            given().get(compensation + "/api/v1/reconciliation?period=2026-03").then()
                    .statusCode(200).body("differenceCount", org.hamcrest.Matchers.equalTo(0));
            System.out.printf("crash: %d visits, %d without an answer at the kill, %d events on Kafka%n",
                    visitIds.size(), unknownOutcome.size(), records.size());
        }
    }

    /**
     * The deterministic case: the visits are committed while Kafka is away, so their events cannot be published,
     * and visit-service is killed in that state. After both are back, each event is published, once per id.
     */
    @Test
    void aVisitCommittedButNotPublishedWhenTheServiceDiesIsPublishedAfterTheRestart(@TempDir Path data)
            throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.onFreePorts(root, data);
        try (LocalStack stack = LocalStack.start(settings, System.out)) {
            String visits = stack.baseUrl("visit-service") + "/api/v1/visits";
            stack.stopKafka();
            Set<String> visitIds = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                visitIds.add(given().contentType(ContentType.JSON).body(body("UNSENT-" + i)).post(visits)
                        .then().statusCode(201).extract().path("visitId"));
            }
            Thread.sleep(1000); // the relay is trying to send, and cannot
            assertEquals(5, unsentEvents(settings), "committed, not published");
            stack.kill("visit-service");
            stack.startKafka();
            stack.restart("visit-service");

            List<ConsumerRecord<String, String>> records = TopicProbe.read(stack.kafkaBootstrapServers(), Topics.VISITS,
                    rs -> rs.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet())
                            .containsAll(visitIds), Duration.ofSeconds(60));
            Map<String, List<String>> eventIdsByVisit = new HashMap<>();
            records.forEach(r -> eventIdsByVisit.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(EventCodec.read(r.value()).id()));
            assertEquals(visitIds, eventIdsByVisit.keySet());
            eventIdsByVisit.forEach((visit, ids) -> assertEquals(1, new HashSet<>(ids).size(),
                    "one event id per visit: " + visit));
        }
    }

    /**
     * compensation-service is killed while it books a back-fill of visits, and started again. Every visit is booked
     * exactly once (the events it had booked but whose offsets were not yet committed come again, and change
     * nothing), and every line is published with one event id, however often it is sent.
     */
    @Test
    void killingCompensationServiceWhileItBooksBooksEveryVisitExactlyOnce(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.onFreePorts(root, data);
        try (LocalStack stack = LocalStack.start(settings, System.out)) {
            String compensation = stack.baseUrl("compensation-service");
            List<String> visitIds = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread poster = new Thread(() -> {
                for (int b = 0; b < 4; b++) {
                    StringBuilder batch = new StringBuilder("[");
                    for (int i = 0; i < 500; i++) {
                        batch.append(i == 0 ? "" : ",").append(body("BACKFILL-" + b + "-" + i));
                    }
                    visitIds.addAll(given().contentType(ContentType.JSON).body(batch.append("]").toString())
                            .post(stack.baseUrl("visit-service") + "/api/v1/visits/batch")
                            .then().statusCode(200).body("accepted", org.hamcrest.Matchers.equalTo(500))
                            .extract().jsonPath().getList("items.visitId"));
                }
            });
            poster.start();
            // killed as soon as it has booked something, while visits are still coming
            long deadline = System.currentTimeMillis() + 30_000;
            while (linesBooked(settings.postgresPort()) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            stack.kill("compensation-service");
            long bookedAtKill = linesBooked(settings.postgresPort());
            poster.join();
            stack.restart("compensation-service");

            List<Map<String, Object>> lines = List.of();
            deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                try {
                    lines = feedLines(compensation);
                    if (lines.size() >= visitIds.size()) {
                        break;
                    }
                } catch (Exception notUpYet) {
                    // restarting
                }
                Thread.sleep(250);
            }
            Thread.sleep(1500); // a duplicate would show up now
            lines = feedLines(compensation);
            assertEquals(2000, visitIds.size());
            assertTrue(bookedAtKill < visitIds.size(), "killed while booking: " + bookedAtKill + " booked at the kill");
            assertEquals(visitIds.size(), lines.size(), "one line per visit");
            assertEquals(new HashSet<>(visitIds), lines.stream().map(l -> (String) l.get("visitId"))
                    .collect(java.util.stream.Collectors.toSet()));
            given().get(compensation + "/api/v1/reconciliation?period=2026-03").then()
                    .statusCode(200).body("differenceCount", org.hamcrest.Matchers.equalTo(0));

            List<ConsumerRecord<String, String>> published = TopicProbe.read(stack.kafkaBootstrapServers(),
                    Topics.PAYOUTS, rs -> rs.stream().map(r -> EventCodec.read(r.value()).subject())
                            .collect(java.util.stream.Collectors.toSet()).size() >= visitIds.size(), Duration.ofSeconds(60));
            Map<String, Set<String>> eventIdsByLine = new HashMap<>();
            published.forEach(r -> {
                CloudEvent event = EventCodec.read(r.value());
                eventIdsByLine.computeIfAbsent(event.subject(), k -> new HashSet<>()).add(event.id());
            });
            assertEquals(visitIds.size(), eventIdsByLine.size(), "every line published");
            eventIdsByLine.forEach((line, ids) -> assertEquals(1, ids.size(), "one event id for line " + line));
            System.out.printf("crash: compensation-service killed with %d of %d visits booked; %d payout records%n",
                    bookedAtKill, visitIds.size(), published.size());
        }
    }

    private static long linesBooked(int postgresPort) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort
                + "/compensation", "postgres", "trust");
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM payout_line")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notMigratedYet) {
            return 0;
        }
    }

    /** The whole finance feed, page by page from the start. */
    static List<Map<String, Object>> feedLines(String compensation) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = "0";
        while (true) {
            var page = given().get(compensation + "/api/v1/payout-lines?limit=1000&after=" + cursor).then()
                    .statusCode(200).extract().jsonPath();
            List<Map<String, Object>> lines = page.getList("lines");
            if (lines.isEmpty()) {
                return all;
            }
            all.addAll(lines);
            cursor = page.getString("nextCursor");
        }
    }

    private static int unsentEvents(StackSettings settings) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + settings.postgresPort()
                + "/visit", "postgres", "trust");
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox_event WHERE discarded_at IS NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String body(String sourceVisitId) {
        return WalkingSkeletonIT.README_VISIT.replace("ENC-2026-000123", sourceVisitId);
    }
}
