package se.regionorebrolan.bhv.visit.outbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import se.regionorebrolan.bhv.kit.Outbox;
import se.regionorebrolan.bhv.kit.OutboxMetrics;
import se.regionorebrolan.bhv.kit.OutboxRelay;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;
import se.regionorebrolan.bhv.visit.TestCentres;
import se.regionorebrolan.bhv.visit.rest.VisitResourceTest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event the broker refuses for good (larger than its record limit, 1 MB here) is parked with its reason; the
 * relay goes on with the others; the same visit's later event waits behind it; the operator lists, releases and
 * discards it. Against a real broker: the refusal is Kafka's own.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class ParkedEventsTest {

    @Inject
    OutboxRelay relay;

    @BeforeEach
    void centresAreRegistered() {
        TestCentres.register("SE2321000164-E000000000001");
    }

    @Test
    void aPoisonEventIsParkedAndTheRelayGoesOnKeepingTheVisitsOrder() throws Exception {
        UUID poisonVisit = UUID.randomUUID();
        UUID poisonEvent = UUID.randomUUID();
        UUID laterEvent = UUID.randomUUID();
        // what an unbounded field once made: an event larger than the broker takes, then a later event of that visit
        insertOutbox(poisonEvent, poisonVisit, "{\"big\":\"" + "x".repeat(2_000_000) + "\"}");
        insertOutbox(laterEvent, poisonVisit, "{\"small\":true}");

        // a visit posted after them is published all the same
        String visitId = given().contentType(ContentType.JSON)
                .body(visitJson(VisitResourceTest.uniqueSourceId("PARK-")))
                .post("/api/v1/visits").then().statusCode(201).extract().path("visitId");
        awaitSent(visitId);

        Instant parkedAt = awaitParked(poisonEvent);
        assertNotNull(parkedAt);
        assertFalse(sent(laterEvent), "the visit's later event waits behind the parked one");
        given().get("/api/v1/admin/outbox/parked").then().statusCode(200)
                .body("eventId", hasItem(poisonEvent.toString()))
                .body("find { it.eventId == '" + poisonEvent + "' }.visitId", equalTo(poisonVisit.toString()))
                .body("find { it.eventId == '" + poisonEvent + "' }.reason", containsString("RecordTooLargeException"))
                .body("find { it.eventId == '" + poisonEvent + "' }.waitingBehind", equalTo(1))
                .body(not(containsString("xxxxxxxx"))); // never the payload
        boolean counted = false;
        for (int i = 0; i < 100 && !counted; i++) { // the gauge is refreshed every few seconds
            counted = given().get("/q/metrics").asString().lines()
                    .anyMatch(l -> l.startsWith("bhv_outbox_parked_events") && !l.endsWith(" 0.0"));
            Thread.sleep(100);
        }
        assertTrue(counted, "the parked gauge counts it");

        // released: tried again, still too large, parked again
        given().post("/api/v1/admin/outbox/parked/" + poisonEvent + "/release").then().statusCode(204);
        awaitParked(poisonEvent);
        assertFalse(sent(laterEvent));

        // discarded with a reason: never sent, and the later event goes on
        given().contentType(ContentType.JSON).body("{\"reason\": \"ärende 12: för stort, ersatt av rättelse\"}")
                .post("/api/v1/admin/outbox/parked/" + poisonEvent + "/discard").then().statusCode(204);
        for (int i = 0; i < 100 && !sent(laterEvent); i++) {
            Thread.sleep(100);
        }
        assertTrue(sent(laterEvent), "the visit's later event is sent once the parked one is discarded");
        assertNotNull(column(poisonEvent, "discarded_at"), "a discarded event stays in the outbox, with its reason");
        List<ConsumerRecord<String, String>> records = TopicProbe.read(
                TestInfrastructure.get().kafka().bootstrapServers(), Topics.VISITS,
                rs -> rs.stream().anyMatch(r -> r.value().contains("\"small\"")), Duration.ofSeconds(20));
        assertEquals(1, records.stream().filter(r -> r.key().equals(poisonVisit.toString())).count(),
                "only the later event of that visit reached Kafka");
        given().get("/api/v1/admin/outbox/parked").then().statusCode(200)
                .body("eventId", not(hasItem(poisonEvent.toString())));
    }

    @Test
    void theOutboxMetricsReadOnlyThePartialIndexesNotTheSentEvents() throws SQLException {
        String plan = plan(OutboxMetrics.QUERY);
        // the waiting from the index of what waits, the parked from one of the two that hold only parked events
        assertTrue(plan.contains("outbox_event_unsent") && (plan.contains("outbox_event_held")
                || plan.contains("outbox_event_parked_id")) && !plan.contains("Seq Scan"), plan);
    }

    @Test
    void onlyParkedEventsAreIndexedByTheirId() throws SQLException {
        try (Connection c = connect(); var statement = c.createStatement()) {
            // every event's insert paid for an index over all event ids that nothing read
            try (ResultSet rs = statement.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = 'outbox_event'"
                    + " AND indexdef LIKE '%(event_id)%'")) {
                List<String> indexes = new ArrayList<>();
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
                assertEquals(1, indexes.size(), indexes.toString());
                assertTrue(indexes.get(0).contains("WHERE ((parked_at IS NOT NULL) AND (discarded_at IS NULL))"),
                        indexes.toString());
            }
        }
        // what releasing or discarding a parked event reads, whatever the table's size
        String plan = plan("SELECT 1 FROM outbox_event WHERE event_id = '" + UUID.randomUUID() + "' AND "
                + Outbox.PARKED);
        assertTrue(plan.contains("outbox_event_parked_id"), plan);
    }

    /** The plan of {@code sql} with sequential scans off: what can serve it, whatever the table's size now. */
    private static String plan(String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = connect(); var statement = c.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            try (ResultSet rs = statement.executeQuery("EXPLAIN " + sql)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    @Test
    void releasingOrDiscardingWhatIsNotParkedIs404AndADiscardNeedsAReason() {
        UUID unknown = UUID.randomUUID();
        given().post("/api/v1/admin/outbox/parked/" + unknown + "/release").then().statusCode(404)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"reason\": \"fel\"}")
                .post("/api/v1/admin/outbox/parked/" + unknown + "/discard").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"reason\": \"barnet 201601152388\"}")
                .post("/api/v1/admin/outbox/parked/" + unknown + "/discard").then().statusCode(400)
                .body("errors[0].field", equalTo("reason")).body(not(containsString("201601152388")));
        given().contentType(ContentType.JSON).body("{}")
                .post("/api/v1/admin/outbox/parked/" + unknown + "/discard").then().statusCode(400);
    }

    private static String visitJson(String sourceId) {
        return """
                {"sourceSystem": "cosmic", "sourceVisitId": "%s",
                 "centreId": "SE2321000164-E000000000001", "childPersonnummer": "202601152388",
                 "visitDate": "2026-03-16",
                 "participants": [{"role": "BHV_NURSE", "hsaId": "SE2321000164-N0000001"}],
                 "kvaCodes": ["ZV509"]}""".formatted(sourceId);
    }

    private void insertOutbox(UUID eventId, UUID visitId, String payload) throws SQLException {
        try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO outbox_event (event_id, aggregate_id, event_type, payload, created_at)"
                        + " VALUES (?, ?, 'VisitCorrected', ?, now())")) {
            insert.setObject(1, eventId);
            insert.setObject(2, visitId);
            insert.setString(3, payload);
            insert.executeUpdate();
        }
    }

    private void awaitSent(String visitId) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Connection c = connect(); PreparedStatement q = c.prepareStatement(
                    "SELECT count(*) FROM outbox_event WHERE aggregate_id = ?::uuid")) {
                q.setString(1, visitId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) { // committed with its event before the answer: gone once sent
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the posted visit was not published past the poison event");
    }

    private Instant awaitParked(UUID eventId) throws Exception {
        for (int i = 0; i < 300; i++) {
            Instant parked = column(eventId, "parked_at");
            if (parked != null) {
                return parked;
            }
            relay.wake();
            Thread.sleep(100);
        }
        throw new AssertionError("the event was not parked");
    }

    /** Sent: Kafka acknowledged it and the relay deleted it from the outbox. */
    private boolean sent(UUID eventId) throws SQLException {
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(
                "SELECT count(*) FROM outbox_event WHERE event_id = ?")) {
            q.setObject(1, eventId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        }
    }

    private Instant column(UUID eventId, String column) throws SQLException {
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(
                "SELECT " + column + " FROM outbox_event WHERE event_id = ?")) {
            q.setObject(1, eventId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                java.sql.Timestamp at = rs.getTimestamp(1);
                return at == null ? null : at.toInstant();
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE),
                PostgresServer.USER, "trust");
    }
}
