package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code POST /api/v1/allocations}: JSON and CSV in, JSON and CSV out, bad rows named. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class AllocationResourceTest {

    private static final String JSON = """
            {"total": 1000000, "recipients": [
              {"code": "1880", "name": "Örebro", "kind": "MUNICIPALITY", "children0to5": 100, "children0to5InAreaType1or2": 30},
              {"code": "1885", "name": "Lindesberg", "kind": "MUNICIPALITY", "children0to5": 300, "children0to5InAreaType1or2": 0},
              {"code": "18", "name": "Region Örebro län", "kind": "REGION", "children0to5": 600, "children0to5InAreaType1or2": 70}]}
            """;

    @Test
    void jsonInJsonOut() {
        given().contentType(ContentType.JSON).body(JSON).post("/api/v1/allocations").then().statusCode(200)
                .body("total", equalTo(1_000_000))
                .body("allocations.code", contains("1880", "1885", "18"))
                .body("allocations.name", contains("Örebro", "Lindesberg", "Region Örebro län"))
                .body("allocations.kind", contains("MUNICIPALITY", "MUNICIPALITY", "REGION"))
                .body("allocations.amount", contains(200_000, 150_000, 650_000));
    }

    @Test
    void theTotalDefaultsToTheGrantOf2026() {
        given().contentType(ContentType.JSON).body(JSON.replace("\"total\": 1000000, ", ""))
                .post("/api/v1/allocations").then().statusCode(200)
                .body("total", equalTo(150_000_000))
                .body("allocations.amount", contains(30_000_000, 22_500_000, 97_500_000));
    }

    @Test
    void csvInCsvOut() {
        String csv = "code,name,kind,children0to5,children0to5InAreaType1or2\r\n"
                + "1880,Örebro,MUNICIPALITY,100,30\r\n"
                + "1885,\"Lindesberg, kommun\",MUNICIPALITY,300,0\r\n"
                + "18,Region Örebro län,REGION,600,70\r\n";
        String out = given().contentType("text/csv; charset=UTF-8").accept("text/csv").body(csv)
                .post("/api/v1/allocations?total=1000000").then().statusCode(200).extract().asString();
        assertEquals("code,name,kind,amount\r\n1880,Örebro,MUNICIPALITY,200000\r\n"
                + "1885,\"Lindesberg, kommun\",MUNICIPALITY,150000\r\n18,Region Örebro län,REGION,650000\r\n", out);
        given().contentType("text/csv; charset=UTF-8").body(csv).post("/api/v1/allocations?total=1000000").then().statusCode(200)
                .body("allocations.amount", contains(200_000, 150_000, 650_000));
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String huge = "{\"recipients\": [], \"padding\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(huge).post("/api/v1/allocations").then().statusCode(413);
    }

    @Test
    void badRowsAreNamed() {
        given().contentType(ContentType.JSON).body("""
                        {"recipients": [
                          {"code": "1880", "name": "Örebro", "kind": "MUNICIPALITY", "children0to5": 100, "children0to5InAreaType1or2": 300},
                          {"code": "1880", "name": "Again", "kind": "MUNICIPALITY", "children0to5": -1},
                          {"code": "17", "name": "Värmland", "kind": "COUNTY", "children0to5": 5, "children0to5InAreaType1or2": 1}]}""")
                .post("/api/v1/allocations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("recipients[0].children0to5InAreaType1or2", "recipients[1].code",
                        "recipients[1].children0to5", "recipients[1].children0to5InAreaType1or2",
                        "recipients[2].kind"));
        given().contentType("text/csv; charset=UTF-8").body("code,name,kind,children0to5,children0to5InAreaType1or2\n"
                        + "1880,Örebro,MUNICIPALITY,100,30\n1885,Lindesberg,MUNICIPALITY,many,0\n18,Region,REGION,5\n")
                .post("/api/v1/allocations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("row 3.children0to5", "row 4"));
        given().contentType("text/csv; charset=UTF-8").body("code,name\n1880,Örebro\n").post("/api/v1/allocations").then()
                .statusCode(400).body("errors[0].field", equalTo("row 1"));
        given().contentType(ContentType.JSON).body("{\"recipients\": [{\"code\": \"1\", \"name\": \"A\", \"kind\": "
                        + "\"REGION\", \"children0to5\": 0, \"children0to5InAreaType1or2\": 0}]}")
                .post("/api/v1/allocations").then().statusCode(400)
                .body("errors.field", contains("recipients[*].children0to5", "recipients[*].children0to5InAreaType1or2"));
        given().contentType(ContentType.JSON).body("{\"total\": 1e40, \"recipients\": []}")
                .post("/api/v1/allocations").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"recipients\": [{\"code\": \"1\", \"children0to5\": \"x\"}]}")
                .post("/api/v1/allocations").then().statusCode(400)
                .body("errors[0].field", equalTo("recipients[0].children0to5"));
        given().contentType(ContentType.XML).body("<a/>").post("/api/v1/allocations").then().statusCode(415)
                .contentType("application/problem+json");
    }
}
