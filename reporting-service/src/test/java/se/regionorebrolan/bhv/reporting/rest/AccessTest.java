package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.AccessRules;
import se.regionorebrolan.bhv.localstack.AccessRules.Rule;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.Tokens;

import java.util.List;
import java.util.stream.Stream;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who may call what (README, "Security"): every endpoint of the OpenAPI document, every role. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class AccessTest {

    static final String CENTRE = "SE2321000164-E000000000001";

    static final List<Rule> RULES = Stream.concat(AccessRules.kitRules(false).stream(), Stream.of(
            Rule.of("GET /api/v1/reports/socialstyrelsen/{year}", "reporting", "bhv-admin"),
            Rule.of("GET /api/v1/reports/socialstyrelsen/{year}/evidence", "reporting", "bhv-admin"),
            Rule.of("GET /api/v1/reports/regional/{year}", "reporting", "bhv-admin"),
            Rule.of("GET /api/v1/reports/regional/{year}/centres/{centreId}", "reporting", "bhv-admin", "centre"),
            Rule.of("PUT /api/v1/reports/regional/{year}/centres/{centreId}/narrative", "bhv-admin", "centre"),
            Rule.of("PUT /api/v1/grants/{year}", "bhv-admin"),
            Rule.of("GET /api/v1/grants/{year}", "bhv-admin", "reporting"),
            Rule.of("POST /api/v1/grants/{year}/costs", "bhv-admin"),
            Rule.of("GET /api/v1/grants/{year}/costs", "bhv-admin", "reporting"),
            Rule.of("GET /api/v1/grants/{year}/costs/{costId}", "bhv-admin", "reporting"),
            Rule.of("POST /api/v1/allocations", "reporting", "bhv-admin"))).toList();

    @Test
    void everyEndpointAnswers401WithoutAValidTokenAnd403ToOtherRoles() {
        assertEquals(List.of(), AccessRules.check(RULES, TestInfrastructure.get().tokens(), CENTRE));
    }

    @Test
    void writesAndReadsAreInTheAuditTrail() {
        Tokens tokens = TestInfrastructure.get().tokens();
        given().header("Authorization", "Bearer " + tokens.mint("controller", List.of("bhv-admin"), null))
                .contentType(ContentType.JSON).body(Map.of("amountReceived", "10.00", "projectCode", "P"))
                .put("/api/v1/grants/2003").then().statusCode(200);
        given().header("Authorization", "Bearer " + tokens.mint("controller", List.of("bhv-admin"), null))
                .get("/api/v1/reports/socialstyrelsen/2003/evidence").then().statusCode(200);
        List<String> seen = given().header("Authorization", "Bearer " + tokens.mint("a", List.of("bhv-admin"), null))
                .get("/api/v1/audit?actor=controller").then().statusCode(200).extract().jsonPath()
                .getList("events.collect { it.action + ' ' + it.status + ' ' + it.ids }");
        // newest first; a write is recorded before it runs (status 0, "begun") and again with its answer
        assertEquals(List.of("GET /api/v1/reports/socialstyrelsen/{year}/evidence 200 [2003]",
                "PUT /api/v1/grants/{year} 200 [2003]", "PUT /api/v1/grants/{year} 0 [2003]"), seen);
    }

    @Test
    void aCentreWritesAndReadsOnlyItsOwnNarrative() {
        Tokens tokens = TestInfrastructure.get().tokens();
        String other = "Bearer " + tokens.mint("vc", List.of("centre"), "SE2321000164-E000000000999");
        given().header("Authorization", other).contentType(ContentType.JSON)
                .body(Map.of("formAndContent", "x", "plannedDevelopment", "y"))
                .put("/api/v1/reports/regional/2026/centres/" + CENTRE + "/narrative")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().header("Authorization", other).get("/api/v1/reports/regional/2026/centres/" + CENTRE)
                .then().statusCode(403);
        // its own centre passes the access rule (this centre is not a fixed-model centre here: 404)
        given().header("Authorization", "Bearer " + tokens.mint("vc", List.of("centre"), CENTRE))
                .get("/api/v1/reports/regional/2026/centres/" + CENTRE).then().statusCode(404);
        given().header("Authorization", "none").get("/q/health/ready").then().statusCode(200);
        given().header("Authorization", "none").get("/q/metrics").then().statusCode(200);
    }

    @Test
    void tokensAreBoundToTheirPurpose() {
        assertEquals(List.of(), AccessRules.checkTokens(TestInfrastructure.get().tokens(), "/api/v1/reports/regional/2026"));
    }
}
