package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.messaging.VisitBookingTest;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.EventSchemas;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class CentreResourceTest {

    private static final String CENTRE = "SE2321000164-E000000000555";

    @Test
    void aCentreIsStoredAndPublishedOnTheCompactedTopic() {
        String body = """
                {"name": "Vivalla vårdcentral", "municipality": "Örebro", "compensationModel": "VARIABLE",
                 "childCni": 3.4, "listedChildren0to5": 1450, "figuresValidFrom": "2025-01-01"}""";
        given().contentType(ContentType.JSON).body(body).put("/api/v1/centres/" + CENTRE).then().statusCode(201);
        // the fixed model needs the unit's approved decision: a PUT cannot set it
        given().contentType(ContentType.JSON).body(body.replace("VARIABLE", "FIXED_EXTENDED")
                        .replace("1450,", "1450, \"fixedApprovedFrom\": \"2026-01-01\","))
                .put("/api/v1/centres/" + CENTRE).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("approved decision"));
        VisitBookingTest.approve(CENTRE, "2026-01-01");
        given().contentType(ContentType.JSON).body(body.replace("VARIABLE", "FIXED_EXTENDED")
                        .replace("1450,", "1460, \"fixedApprovedFrom\": \"2026-01-01\","))
                .put("/api/v1/centres/" + CENTRE).then().statusCode(200).body("listedChildren0to5", equalTo(1460))
                .body("compensationModel", equalTo("FIXED_EXTENDED"));
        given().contentType(ContentType.JSON).body(body).put("/api/v1/centres/" + CENTRE).then().statusCode(409)
                .body("detail", containsString("ENDED decision"));
        given().get("/api/v1/centres").then().statusCode(200).body("centreId", hasItem(CENTRE));
        given().get("/api/v1/centres/" + CENTRE).then().statusCode(200)
                .body("modelPeriods.model", equalTo(List.of("VARIABLE", "FIXED_EXTENDED")))
                .body("modelPeriods[1].from", equalTo("2026-01-01"))
                .body("applications[0].decisions[0].outcome", equalTo("APPROVED"));

        List<ConsumerRecord<String, String>> records = TopicProbe.read(
                TestInfrastructure.get().kafka().bootstrapServers(), Topics.CENTRES,
                rs -> rs.stream().filter(r -> CENTRE.equals(r.key())).count() >= 3, Duration.ofSeconds(15))
                .stream().filter(r -> CENTRE.equals(r.key())).toList();
        records.forEach(r -> assertEquals(List.of(), EventSchemas.violations(r.value()), r.value()));
        CentreData latest = EventCodec.data(EventCodec.read(records.get(records.size() - 1).value()), CentreData.class);
        assertEquals(1460, latest.listedChildren0to5());
        assertEquals(0, new BigDecimal("3.40").compareTo(latest.childCni()));
        assertEquals(List.of(new CentreData.FixedPeriod(java.time.LocalDate.of(2026, 1, 1), null)),
                latest.fixedPeriods());
    }

    @Test
    void aFixedModelCentreNeedsAChildCniAboveTwoAndAnApprovalDate() {
        given().contentType(ContentType.JSON).body("""
                {"name": "X", "municipality": "Örebro", "compensationModel": "FIXED_EXTENDED",
                 "childCni": 2.0, "listedChildren0to5": 10, "fixedApprovedFrom": "2026-01-01"}""")
                .put("/api/v1/centres/SE2321000164-E000000000556")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("childCni"));
        given().contentType(ContentType.JSON).body("""
                {"name": "X", "municipality": "Örebro", "compensationModel": "FIXED_EXTENDED",
                 "childCni": 2.5, "listedChildren0to5": 10}""")
                .put("/api/v1/centres/SE2321000164-E000000000556")
                .then().statusCode(400).body("errors.field", hasItem("fixedApprovedFrom"));
        given().contentType(ContentType.JSON).body("""
                {"name": "X", "municipality": "Örebro", "compensationModel": "MONTHLY", "childCni": 1, "listedChildren0to5": 1}""")
                .put("/api/v1/centres/SE2321000164-E000000000556")
                .then().statusCode(400).body("errors.field", hasItem("compensationModel"));
        given().contentType(ContentType.JSON).body("{}").put("/api/v1/centres/not-an-hsa-id")
                .then().statusCode(400).body("errors.field", hasItem("centreId"));
        given().get("/api/v1/centres").then().body("centreId", org.hamcrest.Matchers.not(hasItem("SE2321000164-E000000000556")));
    }
}
