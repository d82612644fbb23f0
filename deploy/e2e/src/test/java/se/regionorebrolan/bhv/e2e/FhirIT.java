package se.regionorebrolan.bhv.e2e;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The repository's example FHIR Bundles on the whole local stack, through Kafka to the payout lines: a joint visit
 * coded ZV509 (2 500.00), a nurse-only visit (1 800.00) corrected into a joint one (−1 800.00, +2 500.00), a child
 * with a samordningsnummer (2 500.00), and the joint visit retracted (−2 500.00); the bad Bundles book nothing.
 */
class FhirIT {

    @Test
    void fhirBundlesGiveTheSamePayoutsAsTheJsonApi(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        Path examples = root.resolve("visit-service/src/test/resources/fhir");
        try (LocalStack stack = LocalStack.start(StackSettings.onFreePorts(root, data), System.out)) {
            String fhir = stack.baseUrl("visit-service") + "/fhir";
            String compensation = stack.baseUrl("compensation-service");
            String joint = post(fhir, Files.readString(examples.resolve("joint-visit-zv509.json")), "201 Created");
            String nurse = post(fhir, Files.readString(examples.resolve("nurse-only.json")), "201 Created");
            post(fhir, Files.readString(examples.resolve("correction.json")).replace("{visitId}", nurse), "200 OK");
            String samordning = post(fhir, Files.readString(examples.resolve("samordningsnummer.json")), "201 Created");
            post(fhir, Files.readString(examples.resolve("retraction.json")).replace("{visitId}", joint), "200 OK");
            for (String bad : List.of("bad-check-digit.json", "bad-identifier-system.json", "bad-class.json",
                    "bad-missing-service-provider.json")) {
                given().contentType("application/fhir+json; charset=UTF-8").body(Files.readString(examples.resolve(bad)))
                        .post(fhir).then().statusCode(400);
            }

            Map<String, List<String>> expected = Map.of(
                    joint, List.of("JOINT_VISIT 2500.00", "ADJUSTMENT -2500.00"),
                    nurse, List.of("ORDINARY_VISIT 1800.00", "ADJUSTMENT -1800.00", "JOINT_VISIT 2500.00"),
                    samordning, List.of("JOINT_VISIT 2500.00"));
            long deadline = System.currentTimeMillis() + 60_000;
            Map<String, List<String>> booked = Map.of();
            while (System.currentTimeMillis() < deadline) {
                List<Map<String, Object>> lines = given().get(compensation + "/api/v1/payout-lines?after=0&limit=1000")
                        .then().statusCode(200).extract().jsonPath().getList("lines");
                booked = Map.of(joint, linesOf(lines, joint), nurse, linesOf(lines, nurse),
                        samordning, linesOf(lines, samordning));
                if (booked.equals(expected)) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(expected, booked);
            assertEquals(3, given().get(compensation + "/api/v1/payout-lines?after=0&limit=1000").then().extract()
                    .jsonPath().getList("lines").stream().map(l -> ((Map<?, ?>) l).get("visitId"))
                    .filter(v -> v != null).distinct().count(), "the bad Bundles booked nothing");
        }
    }

    private static String post(String fhir, String bundle, String status) {
        JsonPath answer = given().contentType("application/fhir+json; charset=UTF-8").body(bundle).post(fhir).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(status, answer.getString("entry[0].response.status"));
        return answer.getString("entry[0].response.location").substring("Encounter/".length());
    }

    private static List<String> linesOf(List<Map<String, Object>> lines, String visitId) {
        return lines.stream().filter(l -> visitId.equals(l.get("visitId")))
                .map(l -> l.get("kind") + " " + l.get("amount")).toList();
    }
}
