package se.regionorebrolan.bhv.visit.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.AccessRules;
import se.regionorebrolan.bhv.visit.TestCentres;
import se.regionorebrolan.bhv.localstack.AccessRules.Rule;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.Tokens;

import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who may call what (README, "Security"): every endpoint of the OpenAPI document, every role. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class AccessTest {

    static final String CENTRE = "SE2321000164-E000000000001";

    static final List<Rule> RULES = Stream.concat(AccessRules.kitRules(true).stream(), Stream.of(
            Rule.of("POST /api/v1/visits", "ehr-integration"),
            Rule.of("POST /api/v1/visits/batch", "ehr-integration"),
            Rule.of("PUT /api/v1/visits/{visitId}", "ehr-integration"),
            Rule.of("DELETE /api/v1/visits/{visitId}", "ehr-integration"),
            Rule.of("GET /api/v1/visits/{visitId}", "ehr-integration", "bhv-admin", "centre"),
            Rule.of("GET /api/v1/visits?centreId={centreId}", "ehr-integration", "bhv-admin", "centre"))).toList();

    @Test
    void everyEndpointAnswers401WithoutAValidTokenAnd403ToOtherRoles() {
        assertEquals(List.of(), AccessRules.check(RULES, TestInfrastructure.get().tokens(), CENTRE));
    }

    @Test
    void aCentreReadsOnlyItsOwnVisits() {
        TestCentres.register(CENTRE);
        Tokens tokens = TestInfrastructure.get().tokens();
        String visitId = given().contentType(ContentType.JSON)
                .body(VisitResourceTest.visitJson("ACCESS-1", "202601152388", ""))
                .post("/api/v1/visits").then().statusCode(201).extract().path("visitId");
        String own = "Bearer " + tokens.mint("vc", List.of("centre"), CENTRE);
        String other = "Bearer " + tokens.mint("vc", List.of("centre"), "SE2321000164-E000000000999");
        given().header("Authorization", own).get("/api/v1/visits/" + visitId).then().statusCode(200);
        given().header("Authorization", other).get("/api/v1/visits/" + visitId).then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403))
                .body(not(containsString("2601152388")));
        given().header("Authorization", own).get("/api/v1/visits?centreId=" + CENTRE).then().statusCode(200);
        given().header("Authorization", other).get("/api/v1/visits?centreId=" + CENTRE).then().statusCode(403);
        given().header("Authorization", other).get("/api/v1/visits").then().statusCode(403);
        // a centre cannot record visits, an EHR integration cannot be a centre's reader only
        given().header("Authorization", own).contentType(ContentType.JSON)
                .body(VisitResourceTest.visitJson("ACCESS-2", "202601152388", "")).post("/api/v1/visits")
                .then().statusCode(403);
    }

    @Test
    void tokensAreBoundToTheirPurpose() {
        TestCentres.register(CENTRE);
        assertEquals(List.of(), AccessRules.checkTokens(TestInfrastructure.get().tokens(),
                "/api/v1/visits?centreId=" + CENTRE));
    }

    /** An EHR integration writes only its own source systems' visits: create, correct, retract, batch. */
    @Test
    void anIntegrationWritesOnlyTheVisitsOfItsOwnSourceSystems() {
        TestCentres.register(CENTRE);
        Tokens tokens = TestInfrastructure.get().tokens();
        Tokens.Spec integration = Tokens.Spec.of("takecare-integration", List.of("ehr-integration"), null,
                java.time.Duration.ofHours(1));
        String takecare = "Bearer " + tokens.mint(integration.sourceSystems(List.of("takecare")));
        String none = "Bearer " + tokens.mint(integration.sourceSystems(null));
        String cosmicVisit = VisitResourceTest.visitJson("SOURCE-1", "202601152388", "");
        given().header("Authorization", takecare).contentType(ContentType.JSON).body(cosmicVisit)
                .post("/api/v1/visits").then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", none).contentType(ContentType.JSON).body(cosmicVisit)
                .post("/api/v1/visits").then().statusCode(403);
        // cosmic's own integration records it; the other may neither correct (not even to another centre) nor retract it
        String visitId = given().contentType(ContentType.JSON).body(cosmicVisit).post("/api/v1/visits").then()
                .statusCode(201).extract().path("visitId");
        given().header("Authorization", takecare).contentType(ContentType.JSON)
                .body(cosmicVisit.replace("E000000000001", "E000000000002")).put("/api/v1/visits/" + visitId)
                .then().statusCode(403);
        given().header("Authorization", takecare).delete("/api/v1/visits/" + visitId + "?reason=fel")
                .then().statusCode(403);
        given().get("/api/v1/visits/" + visitId).then().statusCode(200).body("revision", equalTo(1))
                .body("retracted", equalTo(false));
        given().header("Authorization", takecare).contentType(ContentType.JSON)
                .body("[" + cosmicVisit.replace("SOURCE-1", "SOURCE-2") + ","
                        + cosmicVisit.replace("SOURCE-1", "SOURCE-3").replace("\"cosmic\"", "\"takecare\"") + "]")
                .post("/api/v1/visits/batch").then().statusCode(200)
                .body("items.status", equalTo(List.of(403, 201)));
    }
}
