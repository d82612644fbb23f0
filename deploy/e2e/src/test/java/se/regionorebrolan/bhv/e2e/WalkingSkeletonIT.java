package se.regionorebrolan.bhv.e2e;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole local stack from the packaged services: a visit posted as the README shows becomes a payout line in
 * the finance feed and a figure in the report; after a restart on the same data everything is still there.
 */
class WalkingSkeletonIT {

    static final String README_VISIT = """
            {"sourceSystem": "cosmic", "sourceVisitId": "ENC-2026-000123",
             "centreId": "SE2321000164-E000000000001", "childPersonnummer": "202601152388",
             "visitDate": "2026-03-16", "programSlot": "MONTH_2",
             "participants": [{"role": "BHV_NURSE", "hsaId": "SE2321000164-N0000001"},
                              {"role": "SOCIAL_SERVICES", "organisation": "Örebro kommun"}],
             "kvaCodes": ["ZV509"], "referrals": ["PRESCHOOL", "DENTAL"], "interpreterUsed": true,
             "riskFactors": ["FIRST_TIME_PARENT"]}
            """;

    @Test
    void aVisitFlowsToThePayoutFeedAndTheReportAndSurvivesARestart(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.onFreePorts(root, data);
        String visitId;
        try (LocalStack stack = LocalStack.start(settings, System.out)) {
            String visits = stack.baseUrl("visit-service");
            String compensation = stack.baseUrl("compensation-service");
            String reporting = stack.baseUrl("reporting-service");

            List<String> centres = given().get(compensation + "/api/v1/centres").then().statusCode(200)
                    .extract().jsonPath().getList("centreId");
            assertTrue(centres.size() >= 7, "demo centres are loaded: " + centres);

            String id = postAndFollow(visits, compensation, reporting, README_VISIT, 1, "first visit after start");
            visitId = id;
            // a second visit shows the latency once everything is warm
            postAndFollow(visits, compensation, reporting, README_VISIT.replace("ENC-2026-000123", "ENC-2026-000124"),
                    2, "second visit");

            Map<String, Object> line = feedLines(compensation).stream()
                    .filter(l -> id.equals(l.get("visitId"))).findFirst().orElseThrow();
            assertEquals("JOINT_VISIT", line.get("kind"));
            assertEquals("2500.00", line.get("amount"));
            assertEquals("STATE_GRANT", line.get("fundingSource"));
            given().get(reporting + "/api/v1/reports/socialstyrelsen/2026").then()
                    .body("results.overall.jointVisits", equalTo(2))
                    .body("results.overall.childrenReached", equalTo(1))
                    .body("grantUse.stateGrantPayouts", equalTo("5000.00"));
            given().get(compensation + "/api/v1/reconciliation?period=2026-03").then().statusCode(200)
                    .body("differenceCount", equalTo(0))
                    .body("centres[0].visitsBooked", equalTo(2));
        }

        // The same data folder again: the visit, its line and the report are all still there, nothing doubled.
        try (LocalStack again = LocalStack.start(settings, System.out)) {
            given().get(again.baseUrl("visit-service") + "/api/v1/visits/" + visitId).then().statusCode(200);
            given().contentType(ContentType.JSON).body(README_VISIT)
                    .post(again.baseUrl("visit-service") + "/api/v1/visits")
                    .then().statusCode(200).body("visitId", equalTo(visitId));
            assertEquals(2, feedLines(again.baseUrl("compensation-service")).size());
            given().get(again.baseUrl("reporting-service") + "/api/v1/reports/socialstyrelsen/2026").then()
                    .body("results.overall.homeVisits", equalTo(2));
        }
        // two starts, two visits, two graceful stops: nothing in the services' logs that pages an operator, nor a
        // WARN to look into (the two every start wrote that ask nothing of anyone are left out, and an offset commit
        // cut off by a stop is an INFO: KnownWarnings)
        assertEquals(List.of(), warningsAndErrors(settings.dataDir().resolve("logs")));
        // each start warmed each service up once, after it took requests (not during its start: README, "Figures")
        for (String service : List.of("visit-service", "compensation-service", "reporting-service")) {
            List<String> log = Files.readAllLines(settings.dataDir().resolve("logs").resolve(service + ".log"));
            assertEquals(2, log.stream().filter(l -> l.contains("\"message\":\"warmed up in ")).count(),
                    service + " warmed up once per start");
        }
    }

    /** The WARN, ERROR and FATAL lines of the services' (JSON) logs, each with its file's name. */
    private static List<String> warningsAndErrors(Path logs) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.filter(f -> f.getFileName().toString().endsWith("-service.log")).toList()) {
                Files.readAllLines(log).stream()
                        .filter(line -> line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\"")
                                || line.contains("\"level\":\"FATAL\""))
                        .forEach(line -> found.add(log.getFileName() + ": " + line));
            }
        }
        return found;
    }

    /** Posts a visit and waits until it is a payout line and counted, with its money, in the report. */
    private static String postAndFollow(String visits, String compensation, String reporting, String body,
                                        int expectedVisits, String label) throws InterruptedException {
        long posted = System.nanoTime();
        String id = given().contentType(ContentType.JSON).body(body).post(visits + "/api/v1/visits")
                .then().statusCode(201).extract().path("visitId");
        await("the payout line", () -> feedLines(compensation).stream().anyMatch(l -> id.equals(l.get("visitId"))));
        long line = millisSince(posted);
        await("the visit in the report", () -> report(reporting).getInt("results.overall.homeVisits") == expectedVisits);
        long counted = millisSince(posted);
        String money = new java.math.BigDecimal("2500.00").multiply(java.math.BigDecimal.valueOf(expectedVisits)).toString();
        await("its money in the report", () -> money.equals(report(reporting).getString("grantUse.stateGrantPayouts")));
        System.out.printf("e2e %s: payout line after %d ms, counted in the report after %d ms, its money after %d ms%n",
                label, line, counted, millisSince(posted));
        return id;
    }

    private static io.restassured.path.json.JsonPath report(String reporting) {
        return given().get(reporting + "/api/v1/reports/socialstyrelsen/2026").then().statusCode(200).extract().jsonPath();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static List<Map<String, Object>> feedLines(String compensation) {
        return given().get(compensation + "/api/v1/payout-lines?after=0&limit=500").then().statusCode(200)
                .extract().jsonPath().getList("lines");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " did not appear within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
