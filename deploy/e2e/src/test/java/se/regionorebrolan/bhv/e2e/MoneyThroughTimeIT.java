package se.regionorebrolan.bhv.e2e;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Money where time enters, on the whole local stack (issue 13): the demo's fixed-model centres approved by decisions,
 * a centre's approval ended mid-year and approved again from mid-September, a back-dated approval into a closed
 * month, a December visit registered after December was closed, and a year whose fixed compensation has no eligible
 * centre. The finance feed, the statements, the reconciliation and both reports agree to the öre.
 */
class MoneyThroughTimeIT {

    private static final String ADOLFSBERG = "SE2321000164-E000000000001";
    private static final String VARBERGA = "SE2321000164-E000000000102";
    private static final String NEW_CENTRE = "SE2321000164-E000000000106";

    @Test
    void feedStatementsReconciliationAndReportsAgreeThroughDecisionsClosedMonthsAndTheYearEnd(@TempDir Path data)
            throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        try (LocalStack stack = LocalStack.start(StackSettings.onFreePorts(root, data), System.out)) {
            String visits = stack.baseUrl("visit-service") + "/api/v1/visits";
            String comp = stack.baseUrl("compensation-service");
            String reporting = stack.baseUrl("reporting-service");
            String finance = "Bearer " + stack.tokens().mint("ekonom", List.of("finance"), null);
            int months = YearMonth.now(ZoneId.of("Europe/Stockholm")).getYear() > 2026 ? 12
                    : YearMonth.now(ZoneId.of("Europe/Stockholm")).getMonthValue();

            // finance has closed December 2025 and February 2026
            for (String period : List.of("2025-12", "2026-02")) {
                given().header("Authorization", finance).post(comp + "/api/v1/periods/" + period + "/close").then()
                        .statusCode(200);
            }
            // the demo data: the four centres of the routine on the list, three approved from January, one from March
            given().get(comp + "/api/v1/fixed-compensation/eligible-centres").then().statusCode(200)
                    .body("centreId", hasItems("SE2321000164-E000000000101", VARBERGA, "SE2321000164-E000000000103",
                            "SE2321000164-E000000000104"));
            given().contentType(ContentType.JSON).body(Map.of("amount", "240000.00", "source", "RS 2024 §3"))
                    .put(comp + "/api/v1/fixed-compensation/2025").then().statusCode(201);
            given().contentType(ContentType.JSON).body(Map.of("amount", "1200000.00", "source", "RS 2025 §7"))
                    .put(comp + "/api/v1/fixed-compensation/2026").then().statusCode(201);

            // Varberga's approval ends from July; a new application is approved from 15 September
            JsonPath varberga = given().get(comp + "/api/v1/centres/" + VARBERGA).then().statusCode(200).extract()
                    .jsonPath();
            decide(comp, VARBERGA, varberga.getLong("applications[0].applicationId"), "ENDED", "2026-07-01");
            long again = apply(comp, VARBERGA, "2026-09-15");
            decide(comp, VARBERGA, again, "APPROVED", "2026-09-15");
            // a new centre: registered, put on the list by the unit, approved back-dated into closed February
            given().contentType(ContentType.JSON).body(Map.of("name", "Ny vårdcentral (test)", "municipality", "Örebro",
                            "compensationModel", "VARIABLE", "childCni", "2.80", "listedChildren0to5", 600,
                            "figuresValidFrom", "2026-01-01"))
                    .put(comp + "/api/v1/centres/" + NEW_CENTRE).then().statusCode(201);
            given().contentType(ContentType.JSON).body(Map.of("source", "CBHV beslut 2026-11-20"))
                    .put(comp + "/api/v1/fixed-compensation/eligible-centres/" + NEW_CENTRE).then().statusCode(201);
            decide(comp, NEW_CENTRE, apply(comp, NEW_CENTRE, "2026-02-10"), "APPROVED", "2026-02-10");
            given().get(comp + "/api/v1/centres/" + VARBERGA).then().statusCode(200)
                    .body("modelPeriods.model", equalTo(List.of("VARIABLE", "FIXED_EXTENDED", "VARIABLE",
                            "FIXED_EXTENDED")));

            // visits priced by the model on their date; a December 2025 visit registered now, after December closed
            String may = post(visits, visit("T-1", VARBERGA, "2026-05-10", GrantSpendingIT.personnummer("20260101", 11)));
            String august = post(visits, visit("T-2", VARBERGA, "2026-08-10",
                    GrantSpendingIT.personnummer("20260201", 12)));
            String december = post(visits, visit("T-3", ADOLFSBERG, "2025-12-15",
                    GrantSpendingIT.personnummer("20251001", 13)));

            List<Map<String, Object>> feed = new ArrayList<>();
            GrantSpendingIT.await(() -> {
                feed.clear();
                feed.addAll(CrashIT.feedLines(comp));
                return lineFor(feed, may) != null && lineFor(feed, august) != null && lineFor(feed, december) != null;
            });
            assertEquals("ORDINARY_VISIT 1800.00", describe(lineFor(feed, may)), "Varberga on the fixed model in May");
            assertEquals("JOINT_VISIT 2500.00", describe(lineFor(feed, august)), "Varberga variable in August");
            Map<String, Object> late = lineFor(feed, december);
            assertEquals("ADJUSTMENT 2500.00", describe(late), "December was closed: paid in the first open month");
            assertEquals("2026-01", late.get("period"));
            assertEquals("2025-12", late.get("forPeriod"));
            assertEquals("JOINT_VISIT", late.get("adjustedKind"));

            // every month of 2026 at its part (a twelfth of 1 200 000.00), none in 2025 (no eligible centre)
            Map<String, BigDecimal> fixedByMonth = new TreeMap<>();
            Map<String, BigDecimal> fixedByCentre = new TreeMap<>();
            for (Map<String, Object> l : feed) {
                if (l.get("visitId") == null) {
                    fixedByMonth.merge((String) l.get("forPeriod"), amount(l), BigDecimal::add);
                    fixedByCentre.merge((String) l.get("centreId"), amount(l), BigDecimal::add);
                }
            }
            for (int m = 1; m <= months; m++) {
                assertEquals(new BigDecimal("100000.00"), fixedByMonth.get(String.format("2026-%02d", m)),
                        "the month's part, to the öre: " + m);
            }
            assertTrue(fixedByMonth.keySet().stream().noneMatch(p -> p.startsWith("2025")), fixedByMonth.toString());
            given().get(comp + "/api/v1/fixed-compensation/2025").then().statusCode(200)
                    .body("unpaid", equalTo("240000.00"))
                    .body("months.find { it.period == '2025-12' }.unpaid", equalTo("20000.00"));
            // the new centre's closed February is paid in March, with March's own share
            given().get(comp + "/api/v1/payouts/" + NEW_CENTRE + "/2026-03").then().statusCode(200)
                    .body("lineCount", equalTo(2)).body("amounts.adjustments", equalTo(share(feed, NEW_CENTRE, "2026-02")))
                    .body("amounts.fixed", equalTo(share(feed, NEW_CENTRE, "2026-03")));
            for (String period : List.of("2025-12", "2026-01", "2026-05", "2026-08")) {
                given().queryParam("period", period).get(comp + "/api/v1/reconciliation").then().statusCode(200)
                        .body("differenceCount", equalTo(0));
            }

            // the reports: 2026's grant money is its visits and months, the December visit counts for 2025
            BigDecimal stateGrant2026 = sum(feed, "2026");
            GrantSpendingIT.await(() -> new BigDecimal(report(reporting, 2026).getString("grantUse.stateGrantPayouts"))
                    .compareTo(stateGrant2026) == 0);
            JsonPath y2025 = report(reporting, 2025);
            assertEquals("2500.00", y2025.getString("grantUse.stateGrantPayouts"));
            assertEquals("2500.00", y2025.getString("grantUse.stateGrantPaidAfterYearEnd"));
            given().get(reporting + "/api/v1/reports/regional/2025").then().statusCode(200)
                    .body("monthsWithoutFixedCompensation.size()", equalTo(12));
            JsonPath regional = given().get(reporting + "/api/v1/reports/regional/2026").then().statusCode(200)
                    .extract().jsonPath();
            List<String> centres = regional.getList("centres.centreId");
            assertTrue(centres.contains(NEW_CENTRE) && centres.contains(VARBERGA), centres.toString());
            for (String centre : centres) {
                assertEquals(fixedByCentre.getOrDefault(centre, BigDecimal.ZERO).setScale(2).toPlainString(),
                        regional.getString("centres.find { it.centreId == '" + centre + "' }.fixedCompensationReceived"),
                        "the regional report's fixed compensation of " + centre);
            }

            // finance's console: the months closed in compensation-service, asked with finance's own token
            String token = finance.substring("Bearer ".length());
            String session = io.restassured.RestAssured.given().noFilters().redirects().follow(false)
                    .contentType("application/x-www-form-urlencoded").formParam("token", token)
                    .post(reporting + "/console/sign-in").then().statusCode(303).extract().cookie("bhv_session");
            String page = io.restassured.RestAssured.given().noFilters().cookie("bhv_session", session)
                    .get(reporting + "/console/?year=2026").then().statusCode(200).extract().asString();
            assertTrue(page.contains("data-closed=\"2\">stängd<"), "February 2026 is closed: " + page);
            assertTrue(page.contains("data-closed=\"1\">öppen<"), "January 2026 is open");
        }
    }

    private static long apply(String comp, String centre, String from) {
        return given().contentType(ContentType.JSON).body(Map.of("receivedOn", from, "requestedFrom", from,
                        "plannedUse", "Utökade hembesök"))
                .post(comp + "/api/v1/centres/" + centre + "/fixed-applications").then().statusCode(201).extract()
                .jsonPath().getLong("applicationId");
    }

    private static void decide(String comp, String centre, long application, String outcome, String effectiveOn) {
        given().contentType(ContentType.JSON).body(Map.of("outcome", outcome, "decisionRef", "CBHV " + application,
                        "decidedOn", "2026-11-25", "effectiveOn", effectiveOn))
                .post(comp + "/api/v1/centres/" + centre + "/fixed-applications/" + application + "/decisions")
                .then().statusCode(201);
    }

    private static String visit(String source, String centre, String date, String personnummer) {
        return WalkingSkeletonIT.README_VISIT.replace("ENC-2026-000123", source)
                .replace("SE2321000164-E000000000001", centre).replace("202601152388", personnummer)
                .replace("2026-03-16", date).replace("\"programSlot\": \"MONTH_2\",", "");
    }

    private static String post(String visits, String body) {
        return given().contentType(ContentType.JSON).body(body).post(visits).then().statusCode(201).extract()
                .path("visitId");
    }

    private static Map<String, Object> lineFor(List<Map<String, Object>> feed, String visitId) {
        return feed.stream().filter(l -> visitId.equals(l.get("visitId"))).findFirst().orElse(null);
    }

    private static String describe(Map<String, Object> line) {
        return line.get("kind") + " " + line.get("amount");
    }

    private static BigDecimal amount(Map<String, Object> line) {
        return new BigDecimal((String) line.get("amount"));
    }

    /** The centre's fixed money for the month, as the statement shows it. */
    private static String share(List<Map<String, Object>> feed, String centre, String forPeriod) {
        return feed.stream().filter(l -> l.get("visitId") == null && centre.equals(l.get("centreId"))
                        && forPeriod.equals(l.get("forPeriod"))).map(MoneyThroughTimeIT::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2).toPlainString();
    }

    /** The state-grant money for the year's visits and months, wherever paid. */
    private static BigDecimal sum(List<Map<String, Object>> feed, String year) {
        return feed.stream().filter(l -> "STATE_GRANT".equals(l.get("fundingSource"))
                && ((String) l.get("forPeriod")).startsWith(year)).map(MoneyThroughTimeIT::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static JsonPath report(String reporting, int year) {
        return given().get(reporting + "/api/v1/reports/socialstyrelsen/" + year).then().statusCode(200).extract()
                .jsonPath();
    }
}
