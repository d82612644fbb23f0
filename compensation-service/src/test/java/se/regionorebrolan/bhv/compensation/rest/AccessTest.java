package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.AccessRules;
import se.regionorebrolan.bhv.localstack.AccessRules.Rule;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.Tokens;

import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who may call what (README, "Security"): every endpoint of the OpenAPI document, every role. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class AccessTest {

    static final String CENTRE = "SE2321000164-E000000000001";

    static final List<Rule> RULES = Stream.concat(AccessRules.kitRules(true).stream(), Stream.of(
            Rule.of("PUT /api/v1/centres/{centreId}", "bhv-admin"),
            Rule.of("GET /api/v1/centres", "bhv-admin", "finance", "reporting"),
            Rule.of("GET /api/v1/centres/{centreId}", "bhv-admin", "finance", "reporting"),
            Rule.of("POST /api/v1/centres/{centreId}/fixed-applications", "bhv-admin"),
            Rule.of("POST /api/v1/centres/{centreId}/fixed-applications/{applicationId}/decisions", "bhv-admin"),
            Rule.of("GET /api/v1/fixed-compensation/eligible-centres", "bhv-admin", "finance", "reporting"),
            Rule.of("PUT /api/v1/fixed-compensation/eligible-centres/{centreId}", "bhv-admin"),
            Rule.of("DELETE /api/v1/fixed-compensation/eligible-centres/{centreId}", "bhv-admin"),
            Rule.of("GET /api/v1/rule-sets", "bhv-admin", "finance"),
            Rule.of("POST /api/v1/rule-sets", "bhv-admin"),
            Rule.of("PUT /api/v1/fixed-compensation/{year}", "bhv-admin"),
            Rule.of("GET /api/v1/fixed-compensation/{year}", "bhv-admin", "finance"),
            Rule.of("POST /api/v1/fixed-compensation/{period}/book", "bhv-admin"),
            Rule.of("GET /api/v1/payouts", "finance", "bhv-admin"),
            Rule.of("GET /api/v1/payouts/{centreId}/{period}", "finance", "bhv-admin", "centre"),
            Rule.of("GET /api/v1/payout-lines", "finance"),
            Rule.of("POST /api/v1/periods/{period}/close", "finance"),
            Rule.of("GET /api/v1/periods", "finance", "bhv-admin"),
            Rule.of("GET /api/v1/reconciliation", "finance", "bhv-admin"))).toList();

    @Test
    void everyEndpointAnswers401WithoutAValidTokenAnd403ToOtherRoles() {
        assertEquals(List.of(), AccessRules.check(RULES, TestInfrastructure.get().tokens(), CENTRE));
    }

    @Test
    void payoutAffectingWritesAreInTheAuditTrail() {
        Tokens tokens = TestInfrastructure.get().tokens();
        given().header("Authorization", "Bearer " + tokens.mint("ekonom", List.of("finance"), null))
                .post("/api/v1/periods/2002-02/close").then().statusCode(200);
        given().header("Authorization", "Bearer " + tokens.mint("ekonom", List.of("finance"), null))
                .contentType("application/json").body("{}").post("/api/v1/rule-sets").then().statusCode(403);
        List<String> seen = given().header("Authorization", "Bearer " + tokens.mint("a", List.of("bhv-admin"), null))
                .get("/api/v1/audit?actor=ekonom").then().statusCode(200).extract().jsonPath()
                .getList("events.findAll { true }.collect { it.action + ' ' + it.status + ' ' + it.ids }");
        // a write is recorded before it runs (status 0, "begun") and again with its answer
        assertEquals(List.of("POST /api/v1/rule-sets 403 []", "POST /api/v1/periods/{period}/close 200 [2002-02]",
                        "POST /api/v1/periods/{period}/close 0 [2002-02]"),
                seen);
    }

    @Test
    void aCentreReadsOnlyItsOwnStatement() {
        Tokens tokens = TestInfrastructure.get().tokens();
        given().header("Authorization", "Bearer " + tokens.mint("vc", List.of("centre"), "SE2321000164-E000000000999"))
                .get("/api/v1/payouts/" + CENTRE + "/2026-03").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        given().header("Authorization", "Bearer " + tokens.mint("vc", List.of("centre"), null))
                .get("/api/v1/payouts/" + CENTRE + "/2026-03").then().statusCode(403);
        given().header("Authorization", "none").get("/api/v1/payout-lines").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "none").get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void tokensAreBoundToTheirPurpose() {
        assertEquals(List.of(), AccessRules.checkTokens(TestInfrastructure.get().tokens(), "/api/v1/centres"));
    }
}
