package se.regionorebrolan.bhv.visit.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.VisitRetractedData;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.visit.TestCentres;
import se.regionorebrolan.bhv.localstack.EventSchemas;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The visit API against a real PostgreSQL and a real Kafka broker. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
public class VisitResourceTest {

    private static final String CHILD = "202601152388";

    /**
     * A source id of its own for a test: a UUID whose digits are written as letters (g-p), so that no random run of
     * digits can look like a personal identity number, which a source id may never hold.
     */
    public static String uniqueSourceId(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        for (char c : UUID.randomUUID().toString().toCharArray()) {
            id.append(Character.isDigit(c) ? (char) ('g' + (c - '0')) : c);
        }
        return id.toString();
    }

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

    /** After the whole class: no record on the visit topic carries any personnummer these tests posted. */
    @AfterAll
    static void noPersonnummerReachedKafka() {
        List<ConsumerRecord<String, String>> all = TopicProbe.read(TestInfrastructure.get().kafka().bootstrapServers(),
                Topics.VISITS, records -> false, Duration.ofSeconds(3));
        assertFalse(all.isEmpty(), "the suite published visits");
        for (ConsumerRecord<String, String> record : all) {
            String text = record.key() + " " + record.value();
            for (String number : List.of("2601152388", "2601152389", "1601152388", "2406152385")) {
                assertFalse(text.contains(number), "a personnummer reached bhv.visits.v1");
            }
        }
    }

    @BeforeEach
    void centresAreRegistered() {
        TestCentres.register("SE2321000164-E000000000001", "SE2321000164-E000000000077");
    }

    private static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/visits");
    }

    @Test
    void recordsAVisitAndPublishesVisitRecordedWithoutThePersonnummer() {
        String sourceId = uniqueSourceId("ENC-");
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
        String body = visitJson(uniqueSourceId("ENC-"), CHILD, "");
        String visitId = post(body).then().statusCode(201).extract().path("visitId");
        post(body).then().statusCode(200).body("visitId", equalTo(visitId));
        // the 10-digit hyphenated form is the same child, so the same content
        post(body.replace(CHILD, "260115-2388")).then().statusCode(200).body("visitId", equalTo(visitId));

        assertEquals(1, eventsFor(visitId, 2).size());
    }

    @Test
    void theSameVisitPostedEightTimesAtOnceIsStoredAndPublishedOnce() throws Exception {
        String body = visitJson(uniqueSourceId("ENC-"), CHILD, "");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return post(body);
                }));
            }
            start.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var answer : answers) {
                Response response = answer.get();
                statuses.add(response.statusCode());
                ids.add(response.path("visitId"));
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(7, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(1, ids.size(), "every answer names the one stored visit");
            assertEquals(1, eventsFor(ids.iterator().next(), 2).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameSourceKeyWithOtherContentIsAConflict() {
        String sourceId = uniqueSourceId("ENC-");
        post(visitJson(sourceId, CHILD, "")).then().statusCode(201);
        post(visitJson(sourceId, CHILD, "").replace("2026-03-16", "2026-03-17"))
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409));
    }

    @Test
    void metricsCountAcceptedAndRejectedVisitsByReasonWithoutAnyPersonalData() {
        post(visitJson(uniqueSourceId("ENC-"), CHILD, "")).then().statusCode(201);
        post(visitJson(uniqueSourceId("ENC-"), "202601152389", "")).then().statusCode(400);
        post("{not json").then().statusCode(400);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.matches("(?s).*bhv_visits_accepted_total\\{outcome=\"recorded\"} [1-9].*"), metrics);
        assertTrue(metrics.matches(
                "(?s).*bhv_visits_rejected_total\\{field=\"childPersonnummer\",reason=\"validation\"} [1-9].*"));
        assertTrue(metrics.matches("(?s).*bhv_visits_rejected_total\\{field=\"none\",reason=\"malformed-json\"} [1-9].*"));
        assertTrue(metrics.contains("bhv_outbox_backlog_events"));
        assertTrue(metrics.contains("bhv_outbox_oldest_unsent_age_seconds"));
        assertTrue(metrics.contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"201\",uri=\"/api/v1/visits\"}"),
                "HTTP latency by endpoint template");
        for (String number : List.of("2601152388", "2601152389")) {
            assertFalse(metrics.contains(number), "a personnummer in the metrics");
        }
    }

    @Test
    void infersTheSlotWhenItIsMissing() {
        post(visitJson(uniqueSourceId("ENC-"), CHILD, "")).then().statusCode(201)
                .body("programSlot", equalTo("MONTH_2"))
                .body("programSlotInferred", equalTo(true));
    }

    @Test
    void aVisitToAChildOlderThanTheProgrammeHasNoSlot() {
        // born 2024-06-15: 21 months on 2026-03-16, past the 15-month visit's window (16 months and 15 days)
        String body = visitJson(uniqueSourceId("ENC-"), "202406152385", "");
        String visitId = post(body).then().statusCode(201)
                .body("programSlot", org.hamcrest.Matchers.nullValue())
                .body("programSlotInferred", equalTo(false)).extract().path("visitId");
        List<ConsumerRecord<String, String>> records = TopicProbe.read(
                TestInfrastructure.get().kafka().bootstrapServers(), Topics.VISITS,
                rs -> rs.stream().anyMatch(r -> visitId.equals(r.key())), Duration.ofSeconds(15));
        String event = records.stream().filter(r -> visitId.equals(r.key())).findFirst().orElseThrow().value();
        assertEquals(List.of(), EventSchemas.violations(event), event);
        assertTrue(event.contains("\"programSlot\":null"), event);
    }

    @Test
    void aWrongCheckDigitIsAProblemThatNamesTheFieldButNotTheNumber() {
        post(visitJson(uniqueSourceId("ENC-"), "202601152389", ""))
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
    void aCorrectionPublishesTheFullNewStateAsANewRevision() {
        String sourceId = uniqueSourceId("ENC-");
        String visitId = post(visitJson(sourceId, CHILD, "").replace("[\"ZV509\"]", "[]"))
                .then().statusCode(201).extract().path("visitId");
        given().contentType(ContentType.JSON).body(visitJson(sourceId, CHILD, ""))
                .put("/api/v1/visits/" + visitId)
                .then().statusCode(200).body("revision", equalTo(2)).body("kvaCodes", hasItem("ZV509"));
        // the same correction again changes nothing
        given().contentType(ContentType.JSON).body(visitJson(sourceId, CHILD, ""))
                .put("/api/v1/visits/" + visitId).then().statusCode(200).body("revision", equalTo(2));

        List<ConsumerRecord<String, String>> records = eventsFor(visitId, 2);
        assertEquals(2, records.size());
        CloudEvent corrected = EventCodec.read(records.get(1).value());
        assertEquals(EventType.VISIT_CORRECTED, corrected.eventType());
        VisitData data = EventCodec.data(corrected, VisitData.class);
        assertEquals(2, data.revision());
        assertEquals(List.of("ZV509"), data.kvaCodes());

        // another source key is not a correction
        given().contentType(ContentType.JSON).body(visitJson("ENC-other", CHILD, ""))
                .put("/api/v1/visits/" + visitId).then().statusCode(409);
        given().contentType(ContentType.JSON).body(visitJson(sourceId, CHILD, ""))
                .put("/api/v1/visits/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aRetractionPublishesTheReasonAndForbidsCorrections() {
        String sourceId = uniqueSourceId("ENC-");
        String visitId = post(visitJson(sourceId, CHILD, "")).then().statusCode(201).extract().path("visitId");
        given().delete("/api/v1/visits/" + visitId).then().statusCode(400).body("errors.field", hasItem("reason"));
        given().queryParam("reason", "wrong child 201601152388").delete("/api/v1/visits/" + visitId)
                .then().statusCode(400).body(not(containsString("201601152388")));
        given().queryParam("reason", "registered in error").delete("/api/v1/visits/" + visitId)
                .then().statusCode(200).body("retracted", equalTo(true)).body("revision", equalTo(2));
        given().queryParam("reason", "registered in error").delete("/api/v1/visits/" + visitId)
                .then().statusCode(200).body("revision", equalTo(2));
        given().contentType(ContentType.JSON).body(visitJson(sourceId, CHILD, ""))
                .put("/api/v1/visits/" + visitId).then().statusCode(409);

        List<ConsumerRecord<String, String>> records = eventsFor(visitId, 2);
        assertEquals(2, records.size());
        CloudEvent retracted = EventCodec.read(records.get(1).value());
        assertEquals(EventType.VISIT_RETRACTED, retracted.eventType());
        VisitRetractedData data = EventCodec.data(retracted, VisitRetractedData.class);
        assertEquals("registered in error", data.reason());
        assertEquals(2, data.revision());
    }

    @Test
    void listsACentresVisitsByDateInPages() {
        String centre = "SE2321000164-E000000000077";
        for (String date : List.of("2026-02-01", "2026-03-01", "2026-04-01")) {
            post(visitJson(uniqueSourceId("ENC-"), CHILD, "").replace("2026-03-16", date)
                    .replace("SE2321000164-E000000000001", centre)).then().statusCode(201);
        }
        given().queryParam("centreId", centre).queryParam("from", "2026-02-15").queryParam("to", "2026-12-31")
                .queryParam("size", 1).get("/api/v1/visits")
                .then().statusCode(200)
                .body("total", equalTo(2))
                .body("items.size()", equalTo(1))
                .body("items[0].visitDate", equalTo("2026-04-01"));
        given().queryParam("from", "2026-13-01").get("/api/v1/visits").then().statusCode(400);
        given().queryParam("size", 501).get("/api/v1/visits").then().statusCode(400);
        // a page deep enough to overflow an offset is refused, not a 500
        given().queryParam("page", Integer.MAX_VALUE).queryParam("size", 500).get("/api/v1/visits").then()
                .statusCode(400).contentType("application/problem+json");
        given().queryParam("page", "99999999999").get("/api/v1/visits").then().statusCode(
                org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(400))
                        .and(org.hamcrest.Matchers.lessThan(500)));
    }

    @Test
    void aBatchIsAnsweredPerItemInOrder() {
        String existing = uniqueSourceId("ENC-");
        post(visitJson(existing, CHILD, "")).then().statusCode(201);
        String body = "[" + String.join(",",
                visitJson(uniqueSourceId("ENC-"), CHILD, ""),
                visitJson(uniqueSourceId("ENC-"), "202601152389", ""),
                visitJson(existing, CHILD, ""),
                visitJson(existing, CHILD, "").replace("2026-03-16", "2026-03-17"),
                visitJson(uniqueSourceId("ENC-"), CHILD, ", \"programSlot\": \"MONTH_3\""),
                "42", "null", visitJson(uniqueSourceId("ENC-"), CHILD, ", \"interpreterUsed\": [true]")) + "]";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/visits/batch")
                .then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(6))
                .body("items.status", org.hamcrest.Matchers.contains(201, 400, 200, 409, 400, 400, 400, 400))
                .body("items.index", org.hamcrest.Matchers.contains(0, 1, 2, 3, 4, 5, 6, 7))
                .body("items[1].errors.field", hasItem("childPersonnummer"))
                .body("items[4].errors.field", hasItem("programSlot"))
                .body("items[6].errors.field", hasItem("body"))
                .body("items[7].errors.field", hasItem("interpreterUsed"))
                .body(not(containsString("2601152389")));
    }

    @Test
    void aBatchRepeatingAVisitOrNamingAnUnknownCentreAnswersThoseItemsAlone() {
        String twice = visitJson(uniqueSourceId("ENC-"), CHILD, "");
        String body = "[" + String.join(",", twice, twice,
                visitJson(uniqueSourceId("ENC-"), CHILD, "").replace("E000000000001", "E000000000404"),
                visitJson(uniqueSourceId("ENC-"), CHILD, "")) + "]";
        var result = given().contentType(ContentType.JSON).body(body).post("/api/v1/visits/batch")
                .then().statusCode(200)
                .body("items.status", org.hamcrest.Matchers.contains(201, 200, 400, 201))
                .body("items[2].errors.field", hasItem("centreId"))
                .extract().jsonPath();
        assertEquals(result.getString("items[0].visitId"), result.getString("items[1].visitId"));
    }

    @Test
    void aBatchOverTheLimitIsRefusedWhole() {
        String item = visitJson("ENC-x", CHILD, "");
        String body = "[" + String.join(",", java.util.Collections.nCopies(10_001, item)) + "]";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/visits/batch")
                .then().statusCode(413).contentType("application/problem+json");
        given().queryParam("centreId", "SE2321000164-E000000000001").get("/api/v1/visits")
                .then().body("items.sourceVisitId", not(hasItem("ENC-x")));
    }

    @Test
    void aVisitForACentreTheRegistryDoesNotKnowIsRefused() {
        post(visitJson(uniqueSourceId("ENC-"), CHILD, "").replace("E000000000001", "E000000000404"))
                .then().statusCode(400).body("errors.field", hasItem("centreId"));
    }

    /**
     * Every rejection of the contract: 400 problem naming the field, and nothing stored or published — the same
     * source key is free afterwards, and the only event ever carrying it is the one of the valid retry.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong check digit      | \"202601152388\"       | \"202601152389\"              | childPersonnummer",
            "wrong length           | \"202601152388\"       | \"20260115238\"               | childPersonnummer",
            "child 6 or older       | \"202601152388\"       | \"201901012383\"              | childPersonnummer",
            "visit in the future    | \"2026-03-16\"         | \"2099-03-16\"                | visitDate",
            "visit before birth     | \"2026-03-16\"         | \"2026-01-14\"                | visitDate",
            "no BHV nurse           | \"BHV_NURSE\"          | \"OTHER\"                     | participants",
            "unknown role           | \"BHV_NURSE\"          | \"DOCTOR\"                    | participants[0].role",
            "unknown referral       | \"PRESCHOOL\"          | \"SCHOOL\"                    | referrals[0]",
            "unknown centre         | E000000000001          | E000000000404                 | centreId",
            "malformed HSA-id       | SE2321000164-E000000000001 | nonsense                  | centreId",
            "malformed KVÅ code     | \"ZV509\"              | \"Z-509\"                     | kvaCodes",
            "missing source system  | \"sourceSystem\": \"cosmic\", | \"sourceSystem\": null,   | sourceSystem",
            "date not a date        | \"2026-03-16\"         | \"16/3/2026\"                 | visitDate",
            "malformed nurse HSA-id | SE2321000164-N0000001  | N0000001                      | participants[0].hsaId",
            "number as organisation | Örebro kommun          | 20260115-2388                 | participants[1].organisation",
            "number in organisation | Örebro kommun          | kommun 260115+2388            | participants[1].organisation",
            "number with a dot      | Örebro kommun          | 260115.2388                   | participants[1].organisation",
            "number with a space    | Örebro kommun          | 20260115 2388                 | participants[1].organisation",
            "samordningsnummer      | Örebro kommun          | 202601752384                  | participants[1].organisation",
            "number as HSA-id       | SE2321000164-N0000001  | 202601152388                  | participants[0].hsaId",
            "number as source id    | REJ-                   | 20260115-2388-                | sourceVisitId",
            "number as risk factor  | FIRST_TIME_PARENT      | 260115-2388                   | riskFactors",
            "too many KVÅ codes     | [\"ZV509\"]            | [\"ZV509\",\"AA001\",\"AA002\",\"AA003\",\"AA004\",\"AA005\",\"AA006\",\"AA007\",\"AA008\",\"AA009\",\"AA010\",\"AA011\",\"AA012\",\"AA013\",\"AA014\",\"AA015\",\"AA016\",\"AA017\",\"AA018\",\"AA019\",\"AA020\"] | kvaCodes",
    })
    void everyRejectionNamesTheFieldAndStoresAndPublishesNothing(String name, String from, String to, String field) {
        String sourceId = uniqueSourceId("REJ-");
        String valid = visitJson(sourceId, CHILD, "");
        String body = post(valid.replace(from, to)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(field)).extract().asString();
        for (String digits : List.of("2601152388", "2601752384")) {
            assertFalse(body.contains(digits), "the problem never quotes the number: " + body);
        }
        String visitId = post(valid).then().statusCode(201).extract().path("visitId");
        List<ConsumerRecord<String, String>> all = TopicProbe.read(TestInfrastructure.get().kafka().bootstrapServers(),
                Topics.VISITS, records -> records.stream().anyMatch(r -> visitId.equals(r.key())), Duration.ofSeconds(15));
        assertEquals(List.of(visitId), all.stream().filter(r -> r.value().contains(sourceId)).map(ConsumerRecord::key)
                .toList());
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
        List<ConsumerRecord<String, String>> mine = all.stream().filter(r -> visitId.equals(r.key())).toList();
        // every event visit-service really produced conforms to the contract's JSON Schema for its type
        mine.forEach(r -> assertEquals(List.of(), EventSchemas.violations(r.value()), r.value()));
        return mine;
    }
}
