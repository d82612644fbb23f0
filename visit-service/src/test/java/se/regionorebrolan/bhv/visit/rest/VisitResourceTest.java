package se.regionorebrolan.bhv.visit.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The visit API against a real PostgreSQL and a real Kafka broker. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class VisitResourceTest {

    private static final String CHILD = "202601152388";

    static String visitJson(String sourceVisitId, String personnummer, String extra) {
        return """
                {"sourceSystem": "cosmic", "sourceVisitId": "%s",
                 "centreId": "SE2321000164-E000000000001", "childPersonnummer": "%s",
                 "visitDate": "2026-03-16",
                 "participants": [{"role": "BHV_NURSE", "hsaId": "SE2321000164-N0000001"},
                                  {"role": "SOCIAL_SERVICES", "organisation": "Örebro kommun"}],
                 "kvaCodes": ["ZV509"], "referrals": ["PRESCHOOL", "DENTAL"], "interpreterUsed": true,
                 "riskFactors": ["FIRST_TIME_PARENT"]%s}
                """.formatted(sourceVisitId, personnummer, extra);
    }

    private static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/visits");
    }

    @Test
    void recordsAVisitAndPublishesVisitRecordedWithoutThePersonnummer() {
        String sourceId = "ENC-" + UUID.randomUUID();
        Response created = post(visitJson(sourceId, CHILD, ", \"programSlot\": \"MONTH_2\""));
        created.then().statusCode(201)
                .header("Location", containsString("/api/v1/visits/"))
                .body("visitId", notNullValue())
                .body("revision", equalTo(1))
                .body("programSlot", equalTo("MONTH_2"))
                .body("programSlotInferred", equalTo(false))
                .body("childPseudonym", notNullValue())
                .body("childBirthDate", equalTo("2026-01-15"))
                .body(not(containsString("2601152388")));
        String visitId = created.path("visitId");

        given().get("/api/v1/visits/" + visitId).then().statusCode(200).body("sourceVisitId", equalTo(sourceId));

        List<ConsumerRecord<String, String>> records = eventsFor(visitId, 1);
        assertEquals(1, records.size());
        ConsumerRecord<String, String> record = records.get(0);
        assertFalse(record.value().contains("2601152388"), "the event must not carry the personnummer");
        CloudEvent event = EventCodec.read(record.value());
        assertEquals(EventType.VISIT_RECORDED, event.eventType());
        VisitData data = EventCodec.data(event, VisitData.class);
        assertEquals(UUID.fromString(visitId), data.visitId());
        assertEquals(created.path("childPseudonym").toString(), data.childPseudonym());
    }

    @Test
    void theSameVisitAgainAnswersTheStoredOneAndPublishesNothingNew() {
        String body = visitJson("ENC-" + UUID.randomUUID(), CHILD, "");
        String visitId = post(body).then().statusCode(201).extract().path("visitId");
        post(body).then().statusCode(200).body("visitId", equalTo(visitId));
        // the 10-digit hyphenated form is the same child, so the same content
        post(body.replace(CHILD, "260115-2388")).then().statusCode(200).body("visitId", equalTo(visitId));

        assertEquals(1, eventsFor(visitId, 2).size());
    }

    @Test
    void theSameSourceKeyWithOtherContentIsAConflict() {
        String sourceId = "ENC-" + UUID.randomUUID();
        post(visitJson(sourceId, CHILD, "")).then().statusCode(201);
        post(visitJson(sourceId, CHILD, "").replace("2026-03-16", "2026-03-17"))
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409));
    }

    @Test
    void infersTheSlotWhenItIsMissing() {
        post(visitJson("ENC-" + UUID.randomUUID(), CHILD, "")).then().statusCode(201)
                .body("programSlot", equalTo("MONTH_2"))
                .body("programSlotInferred", equalTo(true));
    }

    @Test
    void aWrongCheckDigitIsAProblemThatNamesTheFieldButNotTheNumber() {
        post(visitJson("ENC-" + UUID.randomUUID(), "202601152389", ""))
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("status", equalTo(400))
                .body("errors.field", hasItem("childPersonnummer"))
                .body(not(containsString("2601152389")));
    }

    @Test
    void refusesMalformedJsonUnknownEnumsMissingNurseAndFutureDates() {
        post("{\"sourceSystem\": ").then().statusCode(400).contentType("application/problem+json");
        post(visitJson("ENC-1", CHILD, ", \"programSlot\": \"MONTH_3\""))
                .then().log().ifValidationFails().statusCode(400).body("errors.field", hasItem("programSlot"));
        post(visitJson("ENC-1", CHILD, "").replace("\"BHV_NURSE\"", "\"OTHER\""))
                .then().statusCode(400).body("errors.field", hasItem("participants"));
        post(visitJson("ENC-1", CHILD, "").replace("2026-03-16", "2099-01-01"))
                .then().statusCode(400).body("errors.field", hasItem("visitDate"));
        post(visitJson("ENC-1", CHILD, "").replace("2026-03-16", "2025-12-31"))
                .then().statusCode(400).body("errors.field", hasItem("visitDate"));
        // nothing of the refused posts was stored under their key
        post(visitJson("ENC-1", CHILD, "")).then().statusCode(201);
    }

    @Test
    void anUnknownVisitIsANotFoundProblem() {
        given().get("/api/v1/visits/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    private static List<ConsumerRecord<String, String>> eventsFor(String visitId, int waitFor) {
        List<ConsumerRecord<String, String>> all = TopicProbe.read(
                TestInfrastructure.get().kafka().bootstrapServers(), Topics.VISITS,
                records -> records.stream().filter(r -> visitId.equals(r.key())).count() >= waitFor,
                Duration.ofSeconds(waitFor > 1 ? 3 : 15));
        return all.stream().filter(r -> visitId.equals(r.key())).toList();
    }
}
