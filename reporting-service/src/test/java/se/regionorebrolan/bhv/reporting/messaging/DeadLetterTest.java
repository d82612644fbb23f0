package se.regionorebrolan.bhv.reporting.messaging;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;
import se.regionorebrolan.bhv.reporting.rest.SocialstyrelsenReportTest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records that break the contract go to their topic's dead-letter topic with the reason, and the records after
 * them are still projected.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class DeadLetterTest {

    @Test
    void brokenRecordsAreDeadLetteredWithTheirReasonAndConsumptionGoesOn() {
        String marker = UUID.randomUUID().toString();
        String bootstrap = TestInfrastructure.get().kafka().bootstrapServers();
        TopicProbe.send(bootstrap, Topics.VISITS, marker, "{not json " + marker);
        String centreOnPayouts = EventCodec.write(EventCodec.envelope(EventType.CENTRE_UPDATED, "/test", marker,
                Instant.now(), new CentreData(marker, "X", "Y", "VARIABLE", BigDecimal.ONE, 1, null)));
        TopicProbe.send(bootstrap, Topics.PAYOUTS, marker, centreOnPayouts);
        TopicProbe.send(bootstrap, Topics.CENTRES, marker, EventCodec.write(EventCodec.envelope(
                EventType.CENTRE_UPDATED, "/test", marker, Instant.now(),
                new CentreData(marker, null, "Y", "VARIABLE", BigDecimal.ONE, 1, null))));

        // the next record on the same partition as the broken centre is projected
        TopicProbe.send(bootstrap, Topics.CENTRES, marker, EventCodec.write(EventCodec.envelope(
                EventType.CENTRE_UPDATED, "/test", marker, Instant.now(),
                new CentreData(marker, "Fixed centre", "Örebro", "FIXED_EXTENDED", new BigDecimal("3.5"), 10,
                        java.time.LocalDate.of(2040, 1, 1)))));

        assertTrue(reason(bootstrap, Topics.deadLetters(Topics.VISITS, "reporting-service"), marker).startsWith("record is not a JSON CloudEvent"),
                "the reason names the problem");
        assertTrue(reason(bootstrap, Topics.deadLetters(Topics.PAYOUTS, "reporting-service"), marker).contains("does not belong on this topic"));
        assertTrue(reason(bootstrap, Topics.deadLetters(Topics.CENTRES, "reporting-service"), marker).contains("lacks centreId, name"));
        SocialstyrelsenReportTest.awaitReport(() -> given().get("/api/v1/reports/regional/2040").then().statusCode(200)
                .body("centres.centreId", hasItem(marker)));
    }

    /**
     * An older state of a centre that arrives after a newer one — a dead letter replayed after the centre changed
     * again, a parked event published again — changes nothing: the state written last in compensation-service (its
     * event's time) stands.
     */
    @Test
    void anOlderCentreStateArrivingLateChangesNothing() {
        String centre = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        String bootstrap = TestInfrastructure.get().kafka().bootstrapServers();
        Instant written = Instant.now();
        TopicProbe.send(bootstrap, Topics.CENTRES, centre, centreUpdated(centre, "Newer", "Örebro", written));
        SocialstyrelsenReportTest.awaitReport(() -> given().get("/api/v1/reports/regional/2041").then().statusCode(200)
                .body("centres.find { it.centreId == '" + centre + "' }.name", equalTo("Newer")));

        // the older state, then another centre on the same partition: once that one is in, the older one was read
        TopicProbe.send(bootstrap, Topics.CENTRES, centre,
                centreUpdated(centre, "Older", "Kumla", written.minus(Duration.ofHours(1))));
        TopicProbe.send(bootstrap, Topics.CENTRES, centre, centreUpdated(after, "After", "Lekeberg", Instant.now()));
        SocialstyrelsenReportTest.awaitReport(() -> given().get("/api/v1/reports/regional/2041").then().statusCode(200)
                .body("centres.centreId", hasItem(after)));
        given().get("/api/v1/reports/regional/2041").then().statusCode(200)
                .body("centres.find { it.centreId == '" + centre + "' }.name", equalTo("Newer"))
                .body("centres.find { it.centreId == '" + centre + "' }.municipality", equalTo("Örebro"));
    }

    private static String centreUpdated(String centreId, String name, String municipality, Instant time) {
        return EventCodec.write(EventCodec.envelope(EventType.CENTRE_UPDATED, "/test", centreId, time,
                new CentreData(centreId, name, municipality, "FIXED_EXTENDED", new BigDecimal("3.5"), 10,
                        java.time.LocalDate.of(2041, 1, 1))));
    }

    private static String reason(String bootstrap, String topic, String key) {
        List<ConsumerRecord<String, String>> records = TopicProbe.read(bootstrap, topic,
                rs -> rs.stream().anyMatch(r -> key.equals(r.key())), Duration.ofSeconds(30));
        ConsumerRecord<String, String> record = records.stream().filter(r -> key.equals(r.key())).findFirst()
                .orElseThrow(() -> new AssertionError("nothing with key " + key + " on " + topic));
        Header reason = record.headers().lastHeader("dead-letter-reason");
        assertTrue(reason != null, "the reason header");
        return new String(reason.value(), StandardCharsets.UTF_8);
    }
}
