package se.regionorebrolan.bhv.e2e;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's grant spending is the sum of compensation-service's state-grant lines for the same events, through
 * Kafka: joint visits at a variable- and a fixed-model centre, a joint visit lacking ZV509 and its correction
 * (ordinary money reversed, the joint-visit rate booked), a retraction (a reversing line) and a month of fixed
 * compensation. The evidence export sums to the same.
 */
class GrantSpendingIT {

    private static final String ADOLFSBERG = "SE2321000164-E000000000001";
    private static final String KARLSKOGA = "SE2321000164-E000000000002";
    private static final String LINDESBERG = "SE2321000164-E000000000003";
    private static final String VIVALLA = "SE2321000164-E000000000101";

    @Test
    void theReportsGrantSpendingIsTheSumOfStateGrantLines(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        try (LocalStack stack = LocalStack.start(StackSettings.onFreePorts(root, data), System.out)) {
            String visits = stack.baseUrl("visit-service") + "/api/v1/visits";
            String compensation = stack.baseUrl("compensation-service");
            String reporting = stack.baseUrl("reporting-service");

            post(visits, visit("G-1", ADOLFSBERG, personnummer("20260115", 1), true));
            post(visits, visit("G-2", VIVALLA, personnummer("20260201", 2), true));
            String lacking = post(visits, visit("G-3", KARLSKOGA, personnummer("20260120", 3), false));
            given().contentType(ContentType.JSON).body(visit("G-3", KARLSKOGA, personnummer("20260120", 3), true))
                    .put(visits + "/" + lacking).then().statusCode(200);
            String retracted = post(visits, visit("G-4", LINDESBERG, personnummer("20260110", 4), true));
            given().delete(visits + "/" + retracted + "?reason=registered in error").then().statusCode(200);
            // setting the yearly amount books every month of the year so far (the demo's three centres approved from
            // January, Mikaeli from March); booking March again books nothing
            given().contentType(ContentType.JSON).body(Map.of("amount", "1200000.00", "source", "Regionstyrelsen 2025"))
                    .put(compensation + "/api/v1/fixed-compensation/2026").then().statusCode(201);
            given().post(compensation + "/api/v1/fixed-compensation/2026-03/book").then().statusCode(200)
                    .body("lines.size()", equalTo(0));
            int months = java.time.YearMonth.now(java.time.ZoneId.of("Europe/Stockholm")).getYear() > 2026 ? 12
                    : java.time.YearMonth.now(java.time.ZoneId.of("Europe/Stockholm")).getMonthValue();
            long fixedLines = 3L * months + Math.max(0, months - 2);

            // the lines compensation-service booked, from its finance feed
            List<Map<String, Object>> stateGrant = new ArrayList<>();
            await(() -> {
                stateGrant.clear();
                feed(compensation).stream().filter(l -> "STATE_GRANT".equals(l.get("fundingSource"))
                        && ((String) l.get("period")).startsWith("2026-")).forEach(stateGrant::add);
                // G-1, G-3 once corrected (its 1 800.00 ordinary line is reversed), G-4 and its reversal, and the
                // centres' fixed months; G-2 at a fixed-model centre is ordinary money
                return stateGrant.size() == 4 + fixedLines
                        && stateGrant.stream().anyMatch(l -> "-2500.00".equals(l.get("amount")))
                        && stateGrant.stream().filter(l -> "FIXED_MONTHLY".equals(l.get("kind"))).count() == fixedLines;
            });
            for (int m = 1; m <= months; m++) {
                String month = String.format("2026-%02d", m);
                assertEquals(new BigDecimal("100000.00"), stateGrant.stream()
                        .filter(l -> "FIXED_MONTHLY".equals(l.get("kind")) && month.equals(l.get("forPeriod")))
                        .map(l -> new BigDecimal((String) l.get("amount"))).reduce(BigDecimal.ZERO, BigDecimal::add),
                        "a twelfth of 1 200 000.00 shared among the centres eligible in " + month);
            }
            BigDecimal booked = stateGrant.stream().map(l -> new BigDecimal((String) l.get("amount")))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertTrue(booked.signum() > 0);

            await(() -> report(reporting).getInt("grantUse.stateGrantPayoutLines") == stateGrant.size());
            JsonPath report = report(reporting);
            System.out.println("e2e report: " + report.prettify()); // the README's sample comes from here
            assertEquals(booked.toPlainString(), report.getString("grantUse.stateGrantPayouts"));

            String evidence = given().get(reporting + "/api/v1/reports/socialstyrelsen/2026/evidence").then()
                    .statusCode(200).extract().asString();
            List<String> rows = Arrays.asList(evidence.split("\r\n")).subList(1, stateGrant.size() + 1);
            assertEquals(booked, rows.stream().map(r -> new BigDecimal(r.split(",", -1)[6]))
                    .reduce(BigDecimal.ZERO, BigDecimal::add));
            assertTrue(!evidence.contains(personnummer("20260115", 1)) && !evidence.contains("202601152388"));

            // the fixed-model centres' regional report: the centre registry came through bhv.centres.v1
            BigDecimal fixed = stateGrant.stream().filter(l -> "FIXED_MONTHLY".equals(l.get("kind")))
                    .filter(l -> VIVALLA.equals(l.get("centreId")))
                    .map(l -> new BigDecimal((String) l.get("amount"))).reduce(BigDecimal.ZERO, BigDecimal::add);
            given().get(reporting + "/api/v1/reports/regional/2026").then().statusCode(200)
                    .body("centres.size()", equalTo(4))
                    .body("centres.find { it.centreId == '" + VIVALLA + "' }.fixedCompensationReceived",
                            equalTo(fixed.toPlainString()))
                    .body("centres.find { it.centreId == '" + VIVALLA + "' }.scope.homeVisits", equalTo(1));
        }
    }

    private static String post(String visits, String body) {
        return given().contentType(ContentType.JSON).body(body).post(visits).then().statusCode(201).extract()
                .path("visitId");
    }

    /** The README's joint visit at another centre, for another child, with or without ZV509. */
    private static String visit(String source, String centre, String personnummer, boolean zv509) {
        String visit = WalkingSkeletonIT.README_VISIT
                .replace("ENC-2026-000123", source)
                .replace("SE2321000164-E000000000001", centre)
                .replace("202601152388", personnummer);
        return zv509 ? visit : visit.replace("\"ZV509\"", "");
    }

    /** A valid personnummer: birth date, a serial, and the Luhn check digit over the ten digits from YY. */
    static String personnummer(String birth, int serial) {
        String nine = birth.substring(2) + String.format("%03d", serial);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            int d = (nine.charAt(i) - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }
        return birth + String.format("%03d", serial) + (10 - sum % 10) % 10;
    }

    private static JsonPath report(String reporting) {
        return given().get(reporting + "/api/v1/reports/socialstyrelsen/2026").then().statusCode(200).extract()
                .jsonPath();
    }

    private static List<Map<String, Object>> feed(String compensation) {
        return given().get(compensation + "/api/v1/payout-lines?after=0&limit=500").then().statusCode(200)
                .extract().jsonPath().getList("lines");
    }

    /** Waits up to 60 s for the condition. */
    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 60 s");
            }
            Thread.sleep(200);
        }
    }
}
