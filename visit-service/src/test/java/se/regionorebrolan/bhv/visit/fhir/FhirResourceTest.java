package se.regionorebrolan.bhv.visit.fhir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.EventSchemas;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;
import se.regionorebrolan.bhv.localstack.Tokens;
import se.regionorebrolan.bhv.visit.RawRequests;
import se.regionorebrolan.bhv.visit.TestCentres;
import se.regionorebrolan.bhv.visit.audit.AuditTrailTest;
import se.regionorebrolan.bhv.visit.rest.VisitResourceTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's example Bundles (src/test/resources/fhir) through POST /fhir: the same visits, idempotency,
 * corrections, retractions and events as the JSON API, and OperationOutcomes naming the FHIR path.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class FhirResourceTest {

    private static final String CENTRE = "SE2321000164-E000000000001";
    private static final String FHIR_JSON = "application/fhir+json";
    /** What an EHR sends: FHIR JSON in UTF-8 (REST Assured would otherwise encode the body as ISO-8859-1). */
    private static final String FHIR_UTF8 = "application/fhir+json; charset=UTF-8";

    @BeforeEach
    void centre() {
        TestCentres.register(CENTRE);
    }

    /** An example Bundle, each source id made unique for the run (and {visitId} filled in). */
    static String example(String name, String run, String visitId) throws IOException {
        try (InputStream in = FhirResourceTest.class.getResourceAsStream("/fhir/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("ENC-FHIR-", "ENC-FHIR-" + run + "-")
                    .replace("{visitId}", visitId == null ? "" : visitId);
        }
    }

    private static JsonPath post(String bundle, int status) {
        return given().contentType(FHIR_UTF8).body(bundle).post("/fhir").then().statusCode(status)
                .contentType(containsString(FHIR_JSON)).extract().jsonPath();
    }

    private static String visitId(JsonPath answer) {
        String location = answer.getString("entry[0].response.location");
        assertTrue(location.startsWith("Encounter/"), location);
        return location.substring("Encounter/".length());
    }

    @Test
    void theCapabilityStatementIsOpen() {
        given().header("Authorization", "none").get("/fhir/metadata").then().statusCode(200)
                .contentType(containsString(FHIR_JSON))
                .body("resourceType", equalTo("CapabilityStatement")).body("fhirVersion", equalTo("4.0.1"))
                .body("rest[0].interaction.code", hasItem("transaction"));
    }

    @Test
    void exampleBundlesRecordCorrectAndRetractVisitsAsTheJsonApiDoes() throws Exception {
        String run = VisitResourceTest.uniqueSourceId("");
        JsonPath joint = post(example("joint-visit-zv509.json", run, null), 200);
        assertEquals("transaction-response", joint.getString("type"));
        assertEquals("201 Created", joint.getString("entry[0].response.status"));
        String jointId = visitId(joint);
        JsonPath again = post(example("joint-visit-zv509.json", run, null), 200);
        assertEquals("200 OK", again.getString("entry[0].response.status"), "a repeat is 200 with the same id");
        assertEquals(jointId, visitId(again));
        given().get("/api/v1/visits/" + jointId).then().statusCode(200)
                .body("sourceSystem", equalTo("cosmic")).body("sourceVisitId", equalTo("ENC-FHIR-" + run + "-1"))
                .body("centreId", equalTo(CENTRE)).body("visitDate", equalTo("2026-03-16"))
                .body("programSlot", equalTo("MONTH_2")).body("kvaCodes", equalTo(List.of("ZV509")))
                .body("participants.role", equalTo(List.of("BHV_NURSE", "SOCIAL_SERVICES")))
                .body("participants[0].hsaId", equalTo("SE2321000164-N0000001"))
                .body("participants[1].organisation", equalTo("Örebro kommun, socialtjänsten"))
                .body("childBirthDate", equalTo("2026-01-15"));

        String nurseId = visitId(post(example("nurse-only.json", run, null), 200));
        given().get("/api/v1/visits/" + nurseId).then().body("participants.role", equalTo(List.of("BHV_NURSE")))
                .body("kvaCodes", equalTo(List.of()));
        JsonPath corrected = post(example("correction.json", run, nurseId), 200);
        assertEquals("200 OK", corrected.getString("entry[0].response.status"));
        assertEquals(nurseId, visitId(corrected));
        given().get("/api/v1/visits/" + nurseId).then().body("revision", equalTo(2))
                .body("kvaCodes", equalTo(List.of("ZV509")));

        String samordning = visitId(post(example("samordningsnummer.json", run, null), 200));
        given().get("/api/v1/visits/" + samordning).then().body("childBirthDate", equalTo("2026-01-15"));

        JsonPath retracted = post(example("retraction.json", run, jointId), 200);
        assertEquals("200 OK", retracted.getString("entry[0].response.status"));
        given().get("/api/v1/visits/" + jointId).then().body("retracted", equalTo(true))
                .body("retractionReason", equalTo("registered in error"));

        // the same events as the JSON API's, conforming to the contract, without the personal number
        List<ConsumerRecord<String, String>> records = TopicProbe.read(
                TestInfrastructure.get().kafka().bootstrapServers(), Topics.VISITS,
                rs -> rs.stream().filter(r -> List.of(jointId, nurseId, samordning).contains(r.key())).count() >= 5,
                Duration.ofSeconds(15));
        List<ConsumerRecord<String, String>> ours = records.stream()
                .filter(r -> List.of(jointId, nurseId, samordning).contains(r.key())).toList();
        assertEquals(5, ours.size(), "recorded ×3, corrected, retracted; the repeat published nothing");
        for (ConsumerRecord<String, String> r : ours) {
            assertEquals(List.of(), EventSchemas.violations(r.value()), r.value());
            assertFalse(r.value().contains("2601152388") || r.value().contains("2601752385"), r.value());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "bad-check-digit.json, Patient.identifier",
            "bad-identifier-system.json, Encounter.identifier[0].system",
            "bad-class.json, Encounter.class",
            "bad-missing-service-provider.json, Encounter.serviceProvider"})
    void aBadBundleIsAnOperationOutcomeNamingTheFhirPath(String file, String expression) throws Exception {
        String answer = given().contentType(FHIR_UTF8).body(example(file, VisitResourceTest.uniqueSourceId(""), null))
                .post("/fhir").then().statusCode(400).contentType(containsString(FHIR_JSON))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue.expression.flatten()", hasItem(expression))
                .extract().asString();
        assertFalse(answer.contains("2601152389") || answer.contains("2601152388"), answer);
    }

    @Test
    void aBundleOverItsBoundIsRefusedBeforeItIsParsedAndRecordsNothing() throws Exception {
        String run = VisitResourceTest.uniqueSourceId("");
        String bundle = example("joint-visit-zv509.json", run, null);
        // valid JSON whitespace pads the same Bundle just past the bound: only its size is wrong
        String padded = bundle.replaceFirst("\\{", "{" + " ".repeat(FhirBundle.MAX_BYTES - bundle.length() + 1));
        JsonPath refused = post(padded, 413);
        assertEquals("OperationOutcome", refused.getString("resourceType"));
        assertEquals("too-long", refused.getString("issue[0].code"));
        assertEquals(List.of("Bundle"), refused.getList("issue[0].expression"));
        // nothing was recorded: the same Bundle at its own size is new
        assertEquals("201 Created", post(bundle, 200).getString("entry[0].response.status"));
    }

    @Test
    void aBundleDeclaredTooLongIsRefusedBeforeItsBodyIsSent() throws Exception {
        String token = TestInfrastructure.get().tokens().mint(Tokens.Spec.of("cosmic", List.of("ehr-integration"),
                null, Duration.ofHours(1)).sourceSystems(List.of("cosmic")));
        // only the request's head is sent: the answer must come without the body
        String refused = answerToHead("Authorization: Bearer " + token + "\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 413"), refused);
        assertTrue(refused.contains("\"too-long\"") && refused.contains("OperationOutcome"), refused);
        // the token is checked first: without one it is 401, whatever the length
        String anonymous = answerToHead("");
        assertTrue(anonymous.startsWith("HTTP/1.1 401"), anonymous);
    }

    /** Sends the head of a POST /fhir declaring a body one byte over the bound, and reads the answer (10 s at most). */
    private static String answerToHead(String extraHeaders) throws IOException {
        return RawRequests.answer("POST /fhir HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "Content-Type: "
                + FHIR_UTF8 + "\r\nContent-Length: " + (FhirBundle.MAX_BYTES + 1) + "\r\n\r\n");
    }

    /**
     * Each FHIR write is audited as the JSON API's are: a new visit once, by the transaction that stores it (200,
     * the HTTP status of a transaction-response Bundle, with the visit's id); a correction and a retraction with a
     * "begun" record before they run and their answer after; a repeat and a refusal with their answer.
     */
    @Test
    void aNewVisitIsRecordedWithItsOwnTransactionAndOtherWritesAsBegunAndAnswered() throws Exception {
        String run = VisitResourceTest.uniqueSourceId("");
        String ehr = "Bearer " + TestInfrastructure.get().tokens().mint(Tokens.Spec.of("fhir-in-tx",
                List.of("ehr-integration"), null, Duration.ofHours(1)).sourceSystems(List.of("cosmic")));
        java.util.function.BiFunction<String, Integer, JsonPath> send = (bundle, status) -> given()
                .header("Authorization", ehr).contentType(FHIR_UTF8).body(bundle).post("/fhir").then()
                .statusCode(status).extract().jsonPath();
        String visitId = visitId(send.apply(example("nurse-only.json", run, null), 200));
        assertEquals(List.of(true), AuditTrailTest.writtenWithTheVisit("fhir-in-tx", 200, visitId),
                "one record, written by the visit's transaction");
        send.apply(example("nurse-only.json", run, null), 200);
        send.apply(example("correction.json", run, visitId), 200);
        send.apply(example("retraction.json", run, visitId), 200);
        send.apply(example("bad-check-digit.json", run, null), 400);
        assertEquals(List.of(visitId + " 200", visitId + " 200", " 0", visitId + " 200", " 0", visitId + " 200",
                " 400"), AuditTrailTest.records("fhir-in-tx", "POST /fhir"));
    }

    @Test
    void otherContentUnderTheSameIdentifierIsAConflictAndAnotherSystemIsForbidden() throws Exception {
        String run = VisitResourceTest.uniqueSourceId("");
        post(example("joint-visit-zv509.json", run, null), 200);
        JsonPath conflict = post(example("joint-visit-zv509.json", run, null).replace("2026-03-16", "2026-03-17"), 409);
        assertEquals("conflict", conflict.getString("issue[0].code"));

        Tokens tokens = TestInfrastructure.get().tokens();
        String takecare = tokens.mint(Tokens.Spec.of("takecare", List.of("ehr-integration"), null, Duration.ofHours(1))
                .sourceSystems(List.of("takecare")));
        given().header("Authorization", "Bearer " + takecare).contentType(FHIR_UTF8)
                .body(example("joint-visit-zv509.json", VisitResourceTest.uniqueSourceId(""), null)).post("/fhir").then()
                .statusCode(403).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("forbidden"));
        given().header("Authorization", "none").contentType(FHIR_UTF8)
                .body(example("joint-visit-zv509.json", run, null)).post("/fhir").then().statusCode(401)
                .body(not(containsString("2601152388")));
    }
}
