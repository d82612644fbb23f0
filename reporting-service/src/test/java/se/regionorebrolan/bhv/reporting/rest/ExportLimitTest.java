package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * An evidence export beyond the limit of concurrent exports is refused with 429 and Retry-After (here the limit is
 * 0, so that every export is one too many; that a finished export gives its place back is shown by the reports'
 * tests, which export again and again under the default limit).
 */
@QuarkusTest
@TestProfile(ExportLimitTest.NoExports.class)
@WithTestResource(RealInfrastructureResource.class)
class ExportLimitTest {

    public static class NoExports implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bhv.reports.max-concurrent-exports", "0");
        }
    }

    @Test
    void anExportBeyondTheLimitIsTooManyRequestsWithRetryAfter() {
        given().get("/api/v1/reports/socialstyrelsen/2026/evidence").then().statusCode(429)
                .contentType("application/problem+json").header("Retry-After", "30")
                .body("status", equalTo(429)).body("type", equalTo("urn:bhv:problem:too-many-exports"));
    }
}
