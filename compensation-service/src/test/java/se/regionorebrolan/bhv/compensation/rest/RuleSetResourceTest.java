package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;

import java.time.LocalDate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class RuleSetResourceTest {

    private static String ruleSet(String id, LocalDate validFrom, String joint) {
        return """
                {"ruleSetId": "%s", "validFrom": "%s", "jointVisit": "%s", "ordinaryVisit": "1900.00",
                 "requiredKvaCode": "ZV509", "cniThreshold": 2, "source": "Regionstyrelsen, test"}""".formatted(id, validFrom, joint);
    }

    @Test
    void r1IsThereFromTheStart() {
        given().get("/api/v1/rule-sets").then().statusCode(200)
                .body("find { it.ruleSetId == 'R1' }.validFrom", equalTo("2025-09-18"))
                .body("find { it.ruleSetId == 'R1' }.jointVisit", equalTo("2500.00"))
                .body("find { it.ruleSetId == 'R1' }.ordinaryVisit", equalTo("1800.00"))
                .body("find { it.ruleSetId == 'R1' }.requiredKvaCode", equalTo("ZV509"));
    }

    @Test
    void aNewRuleSetStartsOnAFutureDateOnly() {
        LocalDate future = LocalDate.now().plusYears(3);
        given().contentType(ContentType.JSON).body(ruleSet("R9", future, "2600.00")).post("/api/v1/rule-sets")
                .then().statusCode(201).body("jointVisit", equalTo("2600.00"));
        given().contentType(ContentType.JSON).body(ruleSet("R9", future, "2600.00")).post("/api/v1/rule-sets")
                .then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(ruleSet("R8", LocalDate.now(), "2600.00")).post("/api/v1/rule-sets")
                .then().statusCode(400).body("errors.field", hasItem("validFrom"));
        given().contentType(ContentType.JSON).body(ruleSet("R7", future.plusDays(1), "2600.001")).post("/api/v1/rule-sets")
                .then().statusCode(400).body("errors.field", hasItem("jointVisit"));
        given().get("/api/v1/rule-sets").then().body("ruleSetId", hasItem("R9"))
                .body("ruleSetId", not(hasItem("R8"))).body("ruleSetId", not(hasItem("R7")));
    }
}
