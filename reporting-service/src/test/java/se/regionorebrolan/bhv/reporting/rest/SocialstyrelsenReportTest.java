package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Referral;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hand-built year sent through the real topics (centres, visits with a correction, retractions — one overtaking
 * its record — redeliveries, a visit of the year before, payout lines with a fixed part, a reversal and lines
 * outside the year), a grant with a cost inside and one outside the year; every figure of the reports asserted.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
public class SocialstyrelsenReportTest {

    // a year of its own, so other tests' events do not count here
    static final int YEAR = 2031;
    static final String VIVALLA = "SE2321000164-E0000000" + YEAR + "1";
    static final String LINDESBERG = "SE2321000164-E0000000" + YEAR + "2";
    static final String REPORT = "/api/v1/reports/socialstyrelsen/" + YEAR;

    private static VisitData childA12;

    /** Once for the class: the year's events and entries (REST Assured knows the port only before each test). */
    @BeforeEach
    void sendTheYear() {
        if (childA12 != null) {
            return;
        }
        send(Topics.CENTRES, VIVALLA, event(EventType.CENTRE_UPDATED, VIVALLA, new CentreData(VIVALLA,
                "Vivalla vårdcentral", "Örebro", "VARIABLE", new BigDecimal("3.10"), 480, null)));
        send(Topics.CENTRES, VIVALLA, event(EventType.CENTRE_UPDATED, VIVALLA, new CentreData(VIVALLA,
                "Vivalla vårdcentral", "Örebro", "FIXED_EXTENDED", new BigDecimal("3.10"), 500,
                LocalDate.of(YEAR, 1, 1))));
        send(Topics.CENTRES, LINDESBERG, event(EventType.CENTRE_UPDATED, LINDESBERG, new CentreData(LINDESBERG,
                "Lindesbergs vårdcentral", "Lindesberg", "VARIABLE", new BigDecimal("1.20"), 900, null)));

        // child A at Vivalla: WEEK_1_2 the year before, then the five other slots in the year
        VisitData a0 = visit("A", VIVALLA, LocalDate.of(YEAR - 1, 12, 20), ProgramSlot.WEEK_1_2, true);
        VisitData a2 = with(visit("A", VIVALLA, date(2, 1), ProgramSlot.MONTH_2, true), List.of(Referral.PRESCHOOL), true,
                List.of("FIRST_TIME_PARENT"));
        VisitData a4 = visit("A", VIVALLA, date(4, 1), ProgramSlot.MONTH_4, true);
        VisitData a8 = visit("A", VIVALLA, date(8, 1), ProgramSlot.MONTH_8, false);
        childA12 = with(visit("A", VIVALLA, date(12, 1), ProgramSlot.MONTH_12, true),
                List.of(Referral.DENTAL, Referral.MATERNAL_HEALTH), false, List.of());
        VisitData a15 = visit("A", VIVALLA, date(12, 20), ProgramSlot.MONTH_15, true);
        // child B at Lindesberg: MONTH_4 recorded as ordinary, corrected into a joint visit with a referral
        VisitData b2 = with(visit("B", LINDESBERG, date(3, 1), ProgramSlot.MONTH_2, true), List.of(), false,
                List.of("SOCIAL_VULNERABILITY"));
        VisitData b4 = visit("B", LINDESBERG, date(5, 1), ProgramSlot.MONTH_4, false);
        VisitData b4corrected = revision(with(visit(b4.visitId(), "B", LINDESBERG, date(5, 1), ProgramSlot.MONTH_4,
                true), List.of(Referral.OTHER), false, List.of()), 2);
        // child C: one visit, retracted; child D at both centres; child E: the retraction overtakes the record
        VisitData c8 = visit("C", LINDESBERG, date(6, 1), ProgramSlot.MONTH_8, true);
        VisitData d1 = with(visit("D", VIVALLA, date(7, 1), ProgramSlot.WEEK_1_2, true), List.of(), true, List.of());
        VisitData d2 = visit("D", LINDESBERG, date(9, 1), ProgramSlot.MONTH_2, false);
        VisitData e2 = visit("E", VIVALLA, date(10, 1), ProgramSlot.MONTH_2, true);

        for (VisitData v : List.of(a0, a2, a4, a8, childA12, a15, b2, b4, c8, d1, d2)) {
            sendVisit(EventType.VISIT_RECORDED, v);
        }
        CloudEvent again = event(EventType.VISIT_RECORDED, a2.visitId().toString(), a2);
        send(Topics.VISITS, a2.visitId().toString(), again);
        send(Topics.VISITS, a2.visitId().toString(), again); // a redelivery
        sendVisit(EventType.VISIT_CORRECTED, b4corrected);
        sendVisit(EventType.VISIT_RECORDED, b4); // the old revision again, late: changes nothing
        send(Topics.VISITS, c8.visitId().toString(), event(EventType.VISIT_RETRACTED, c8.visitId().toString(),
                new VisitRetractedData(c8.visitId(), 2, LINDESBERG, "registered in error")));
        send(Topics.VISITS, e2.visitId().toString(), event(EventType.VISIT_RETRACTED, e2.visitId().toString(),
                new VisitRetractedData(e2.visitId(), 2, VIVALLA, "registered in error")));
        sendVisit(EventType.VISIT_RECORDED, e2);

        long base = System.nanoTime();
        CloudEvent line1 = payout(base, VIVALLA, YEAR + "-02", "JOINT_VISIT", "2500.00", "STATE_GRANT", a2);
        send(Topics.PAYOUTS, VIVALLA, line1);
        send(Topics.PAYOUTS, VIVALLA, line1); // a redelivery
        send(Topics.PAYOUTS, LINDESBERG, payout(base + 1, LINDESBERG, YEAR + "-03", "JOINT_VISIT", "2500.00",
                "STATE_GRANT", b2));
        send(Topics.PAYOUTS, LINDESBERG, payout(base + 2, LINDESBERG, YEAR + "-05", "ORDINARY_VISIT", "1800.00",
                "ORDINARY", b4));
        send(Topics.PAYOUTS, VIVALLA, payout(base + 3, VIVALLA, YEAR + "-01", "FIXED_MONTHLY", "10000.00",
                "STATE_GRANT", null));
        // December of the year before was closed: its visit's line landed in January
        send(Topics.PAYOUTS, VIVALLA, payout(base + 4, VIVALLA, YEAR + "-01", "ADJUSTMENT", "2500.00", "STATE_GRANT",
                a0));
        // the retracted visit: booked and reversed
        send(Topics.PAYOUTS, LINDESBERG, payout(base + 5, LINDESBERG, YEAR + "-06", "JOINT_VISIT", "2500.00",
                "STATE_GRANT", c8));
        send(Topics.PAYOUTS, LINDESBERG, payout(base + 6, LINDESBERG, YEAR + "-06", "ADJUSTMENT", "-2500.00",
                "STATE_GRANT", c8));
        // the next year's money
        send(Topics.PAYOUTS, VIVALLA, payout(base + 7, VIVALLA, (YEAR + 1) + "-01", "FIXED_MONTHLY", "10000.00",
                "STATE_GRANT", null));
        // the year's December, paid after the year end (December closed): the 15-month visit, and a re-split of the
        // month's fixed compensation; both count for the year, as what they adjust
        send(Topics.PAYOUTS, VIVALLA, payout(base + 8, VIVALLA, (YEAR + 1) + "-01", YEAR + "-12", "ADJUSTMENT",
                "JOINT_VISIT", "2500.00", "STATE_GRANT", a15));
        send(Topics.PAYOUTS, VIVALLA, payout(base + 9, VIVALLA, (YEAR + 1) + "-02", YEAR + "-12", "ADJUSTMENT",
                "FIXED_MONTHLY", "500.00", "STATE_GRANT", null));

        given().contentType(ContentType.JSON).body(Map.of("amountReceived", "100000.00", "projectCode", "BHV-" + YEAR))
                .put("/api/v1/grants/" + YEAR).then().statusCode(200).body("amountReceived", equalTo("100000.00"));
        cost(YEAR, "SALARY", "LÖN-" + YEAR + "-04", YEAR + "-04-25", "60000.00").statusCode(201);
        cost(YEAR, "INVOICE", "F-1001", (YEAR + 1) + "-01-15", "5000.00").statusCode(201);
    }

    @Test
    void resultsOverallPerCentreAndPerMunicipality() {
        awaitReport(() -> given().get(REPORT).then().statusCode(200)
                .body("results.overall.childrenReached", equalTo(3))
                .body("results.overall.homeVisits", equalTo(9))
                .body("results.overall.jointVisits", equalTo(7))
                .body("results.perCentre", hasSize(2)));
        given().get(REPORT).then().statusCode(200)
                .body("year", equalTo(YEAR))
                .body("results.overall.visitsPerSlot.WEEK_1_2", equalTo(1))
                .body("results.overall.visitsPerSlot.MONTH_2", equalTo(3))
                .body("results.overall.visitsPerSlot.MONTH_4", equalTo(2))
                .body("results.overall.visitsPerSlot.MONTH_8", equalTo(1))
                .body("results.overall.visitsPerSlot.MONTH_12", equalTo(1))
                .body("results.overall.visitsPerSlot.MONTH_15", equalTo(1))
                .body("results.overall.childrenCompletedAllSlots", equalTo(1))
                .body("results.overall.medianVisitsPerChild", equalTo(2.0f))
                .body("results.overall.referrals.PRESCHOOL", equalTo(1))
                .body("results.overall.referrals.MATERNAL_HEALTH", equalTo(1))
                .body("results.overall.referrals.DENTAL", equalTo(1))
                .body("results.overall.referrals.OTHER", equalTo(1))
                .body("results.overall.visitsWithInterpreter", equalTo(2))
                .body("results.overall.childrenWithRiskFactor", equalTo(2))
                .body("results.overall.childrenWithMoreThanTwoVisits", equalTo(1))
                .body("results.overall.childrenWithMoreThanTwoJointVisitsInFirst15Months", equalTo(1))
                .body("results.overall.childrenWithReferral", equalTo(2))
                .body("results.perCentre.centreId", contains(VIVALLA, LINDESBERG))
                .body("results.perCentre[0].name", equalTo("Vivalla vårdcentral"))
                .body("results.perCentre[0].municipality", equalTo("Örebro"))
                .body("results.perCentre[0].results.childrenReached", equalTo(2))
                .body("results.perCentre[0].results.homeVisits", equalTo(6))
                .body("results.perCentre[0].results.jointVisits", equalTo(5))
                .body("results.perCentre[0].results.childrenCompletedAllSlots", equalTo(1))
                .body("results.perCentre[0].results.medianVisitsPerChild", equalTo(3.0f))
                .body("results.perCentre[1].results.childrenReached", equalTo(2))
                .body("results.perCentre[1].results.homeVisits", equalTo(3))
                .body("results.perCentre[1].results.jointVisits", equalTo(2))
                .body("results.perCentre[1].results.referrals.OTHER", equalTo(1))
                .body("results.perCentre[1].results.childrenCompletedAllSlots", equalTo(0))
                .body("results.perMunicipality.municipality", contains("Lindesberg", "Örebro"))
                .body("results.perMunicipality[0].results.homeVisits", equalTo(3))
                .body("results.perMunicipality[1].results.homeVisits", equalTo(6))
                .body("deadlines.socialstyrelsenReportDue", equalTo((YEAR + 1) + "-03-31"))
                .body("deadlines.regionalReportDue", equalTo((YEAR + 1) + "-01-31"));
    }

    @Test
    void grantUseWithCostsOutsideTheYearAndRepaymentRisk() {
        awaitReport(() -> given().get(REPORT).then().statusCode(200)
                .body("grantUse.stateGrantPayoutLines", equalTo(7)));
        given().get(REPORT).then().statusCode(200)
                .body("grantUse.projectCode", equalTo("BHV-" + YEAR))
                .body("grantUse.amountReceived", equalTo("100000.00"))
                // for the year's visits and months, wherever paid: 2 500 (A, Feb) + 2 500 (B) + 10 000 (fixed, Jan)
                // + 2 500 − 2 500 (C, retracted) + 2 500 (A's December visit, paid in January after)
                // + 500 (December's fixed re-split, paid in February after); not A's visit of the year before
                .body("grantUse.stateGrantPayouts", equalTo("18000.00"))
                .body("grantUse.stateGrantPaidAfterYearEnd", equalTo("3000.00"))
                .body("grantUse.stateGrantLinesPaidAfterYearEnd", equalTo(2))
                .body("grantUse.otherCosts", equalTo("60000.00"))
                .body("grantUse.otherCostEntries", equalTo(1))
                .body("grantUse.spent", equalTo("78000.00"))
                .body("grantUse.unused", equalTo("22000.00"))
                .body("grantUse.spentBeyondGrant", equalTo("0.00"))
                .body("grantUse.costsOutsideYear", equalTo("5000.00"))
                .body("grantUse.costEntriesOutsideYear", equalTo(1))
                // paid in the year's January for the visit of the year before: counted in that year
                .body("grantUse.stateGrantPayoutsForVisitsOutsideYear", equalTo("2500.00"))
                .body("grantUse.stateGrantPayoutLinesForVisitsOutsideYear", equalTo(1))
                .body("grantUse.repaymentRisk", equalTo(true))
                .body("grantUse.repaymentRiskReasons", hasSize(3))
                .body("grantUse.repaymentRiskReasons[0]", containsString("UNUSED: 22000.00 SEK"))
                .body("grantUse.repaymentRiskReasons[1]", containsString("COSTS_OUTSIDE_YEAR"))
                .body("grantUse.repaymentRiskReasons[2]", containsString("CONDITION_NOT_MET: condition 3"));
    }

    @Test
    void conditionsWithVerdictsAndThresholds() {
        awaitReport(() -> given().get(REPORT).then().body("results.overall.homeVisits", equalTo(9)));
        given().get(REPORT).then().statusCode(200)
                .body("conditions.number", contains(1, 2, 3, 4, 5))
                // 1 of 3 children (A) had more than two joint visits in its first 15 months: 33.3 %, partly at 25
                .body("conditions[0].value", equalTo(33.3f))
                .body("conditions[0].verdict", equalTo("PARTLY_MET"))
                .body("conditions[0].metAt", equalTo(50))
                .body("conditions[1].value", equalTo(66.7f))
                .body("conditions[1].verdict", equalTo("MET"))
                .body("conditions[2].value", equalTo(2.0f))
                .body("conditions[2].unit", equalTo("visits"))
                .body("conditions[2].verdict", equalTo("NOT_MET"))
                .body("conditions[3].value", equalTo(77.8f))
                .body("conditions[3].verdict", equalTo("PARTLY_MET"))
                .body("conditions[3].explanation", equalTo("Partly met: 77.8 % of home visits with social services"
                        + " taking part (joint visits) (met at 90, partly at 50)."))
                .body("conditions[4].value", equalTo(66.7f))
                .body("conditions[4].verdict", equalTo("MET"));
    }

    @Test
    void theReportAsCsv() {
        awaitReport(() -> given().get(REPORT).then().body("grantUse.stateGrantPayoutLines", equalTo(7)));
        String csv = given().accept("text/csv").get(REPORT).then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        assertEquals(csv, given().get(REPORT + "?format=csv").then().statusCode(200).extract().asString());
        List<String> lines = Arrays.asList(csv.split("\r\n"));
        assertEquals("section,scope,scopeId,name,indicator,value", lines.get(0));
        assertTrue(lines.contains("grantUse,,,,stateGrantPayouts,18000.00"), csv);
        assertTrue(lines.contains("grantUse,,,,stateGrantPaidAfterYearEnd,3000.00"), csv);
        assertTrue(lines.contains("results,overall,,,childrenWithMoreThanTwoJointVisitsInFirst15Months,1"), csv);
        assertTrue(lines.contains("results,overall,,,homeVisits,9"), csv);
        assertTrue(lines.contains("results,centre," + VIVALLA + ",Vivalla vårdcentral,jointVisits,5"), csv);
        assertTrue(lines.contains("results,municipality,Lindesberg,Lindesberg,visitsPerSlot.MONTH_4,1"), csv);
        assertTrue(lines.contains("conditions,condition 4,4,Done by at least a BHV nurse and a person from social"
                + " services together,verdict,PARTLY_MET"), csv);
        given().get(REPORT + "?format=xml").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("format"));
    }

    /** Both reports as PDF (ready for Socialstyrelsen's e-service), read back with PDFBox: the JSON's figures. */
    @Test
    void theReportsAsPdf() throws Exception {
        awaitReport(() -> given().get(REPORT).then().body("grantUse.stateGrantPayoutLines", equalTo(7)));
        String report = pdfText(given().accept("application/pdf").get(REPORT).then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray());
        assertEquals(report, pdfText(given().get(REPORT + "?format=pdf").then().statusCode(200).extract()
                .asByteArray()));
        for (String figure : List.of("Återrapportering till Socialstyrelsen", "BHV-" + YEAR,
                "Utbetalt ur statsbidraget till mottagningar (kr) 18000.00", "Utbetalt efter årets slut för året (kr)"
                        + " 3000.00", "Barn som nåtts 3", "Hembesök 9", "Gemensamma hembesök med socialtjänsten 7",
                "Vivalla vårdcentral", "Lindesberg", "Delvis uppfyllt", (YEAR + 1) + "-03-31")) {
            assertTrue(report.contains(figure), figure + " in:\n" + report);
        }
        String regional = pdfText(given().accept("application/pdf").get("/api/v1/reports/regional/" + YEAR).then()
                .statusCode(200).contentType("application/pdf").extract().asByteArray());
        for (String figure : List.of("Rapport till Hälsovalsenheten", "Vivalla vårdcentral", "10500.00", "5000.00",
                YEAR + "-01 10000.00", YEAR + "-12 500.00", (YEAR + 1) + "-01-31")) {
            assertTrue(regional.contains(figure), figure + " in:\n" + regional);
        }
        given().get(REPORT + "?format=doc").then().statusCode(400).contentType("application/problem+json");
    }

    private static String pdfText(byte[] pdf) throws java.io.IOException {
        assertEquals("%PDF", new String(pdf, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            var text = new org.apache.pdfbox.text.PDFTextStripper();
            text.setSortByPosition(true);
            return text.getText(document);
        }
    }

    @Test
    void theEvidenceExportSumsToTheReportsFigure() {
        awaitReport(() -> given().get(REPORT).then().body("grantUse.stateGrantPayoutLines", equalTo(7)));
        String csv = given().get(REPORT + "/evidence").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        List<String> lines = Arrays.asList(csv.split("\r\n"));
        assertEquals("projectCode,lineId,centreId,centreName,period,kind,amount,ruleSet,visitId,visitDate,"
                + "childPseudonym", lines.get(0));
        assertEquals(8, lines.size(), csv);
        BigDecimal sum = BigDecimal.ZERO;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals("BHV-" + YEAR, f[0]);
            sum = sum.add(new BigDecimal(f[6]));
        }
        assertEquals(new BigDecimal("18000.00"), sum);
        assertTrue(csv.contains("," + childA12.childPseudonym() + "\r\n"), csv);
        assertTrue(lines.stream().anyMatch(l -> l.contains(",FIXED_MONTHLY,10000.00,R1,,,")), csv);
        for (int again = 0; again < 5; again++) { // every finished export gives its place back (limit 2)
            given().get(REPORT + "/evidence").then().statusCode(200);
        }
    }

    @Test
    void theRegionalReportForFixedModelCentresWithTheirNarrative() {
        awaitReport(() -> given().get("/api/v1/reports/regional/" + YEAR).then().statusCode(200)
                .body("centres.centreId", contains(VIVALLA)));
        String narrative = "/api/v1/reports/regional/" + YEAR + "/centres/" + VIVALLA + "/narrative";
        given().get("/api/v1/reports/regional/" + YEAR).then().body("centres[0].narrative", nullValue());
        given().contentType(ContentType.JSON).body(Map.of("formAndContent", "Sex hembesök tillsammans med"
                        + " socialtjänsten.", "plannedDevelopment", "Fler familjer i Vivalla."))
                .put(narrative).then().statusCode(200).body("formAndContent", equalTo("Sex hembesök tillsammans med"
                        + " socialtjänsten."));
        given().get("/api/v1/reports/regional/" + YEAR).then().statusCode(200)
                .body("due", equalTo((YEAR + 1) + "-01-31"))
                .body("centres", hasSize(1))
                .body("centres[0].name", equalTo("Vivalla vårdcentral"))
                .body("centres[0].fixedApprovedFrom", equalTo(YEAR + "-01-01"))
                .body("centres[0].scope.homeVisits", equalTo(6))
                .body("centres[0].scope.jointVisits", equalTo(5))
                .body("centres[0].scope.childrenReached", equalTo(2))
                // January's fixed compensation and December's re-split, paid after the year end, count as fixed
                .body("centres[0].fixedCompensationReceived", equalTo("10500.00"))
                // A's February visit and A's December visit paid in January after; A's visit of the year before not
                .body("centres[0].visitPayoutsReceived", equalTo("5000.00"))
                .body("centres[0].narrative.plannedDevelopment", equalTo("Fler familjer i Vivalla."))
                // the months' fixed compensation over all centres: January, December's re-split; none in between
                .body("months", hasSize(12))
                .body("months[0].fixedCompensationPaid", equalTo("10000.00"))
                .body("months[11].fixedCompensationPaid", equalTo("500.00"))
                .body("monthsWithoutFixedCompensation", hasSize(10))
                .body("monthsWithoutFixedCompensation[0]", equalTo(YEAR + "-02"));

        given().contentType(ContentType.JSON).body(Map.of("formAndContent", "x", "plannedDevelopment", "y"))
                .put("/api/v1/reports/regional/" + YEAR + "/centres/" + LINDESBERG + "/narrative").then()
                .statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("formAndContent", "x", "plannedDevelopment", "y"))
                .put("/api/v1/reports/regional/" + YEAR + "/centres/SE-unknown/narrative").then()
                .statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("formAndContent", "Barnet 201601152388 besöktes",
                        "plannedDevelopment", "y"))
                .put(narrative).then().statusCode(400).body("errors[0].field", equalTo("formAndContent"))
                .body(not(containsString("201601152388")));
        given().get("/api/v1/reports/regional/" + YEAR).then()
                .body("centres[0].narrative.formAndContent", equalTo("Sex hembesök tillsammans med socialtjänsten."));
    }

    @Test
    void grantsAndCostsAreValidatedAndIdempotent() {
        int year = YEAR + 5;
        cost(year, "SALARY", "L-1", year + "-03-01", "10.00").statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("amountReceived", "-5.00", "projectCode", ""))
                .put("/api/v1/grants/" + year).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("amountReceived", "projectCode"));
        given().get("/api/v1/grants/" + year).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("amountReceived", "2500", "projectCode", "P1"))
                .put("/api/v1/grants/" + year).then().statusCode(200).body("amountReceived", equalTo("2500.00"));
        given().contentType(ContentType.JSON).body("{\"amountReceived\": \"2500.00\", ")
                .put("/api/v1/grants/" + year).then().statusCode(400).body("title", equalTo("Malformed JSON"));

        String location = cost(year, "SALARY", "L-1", year + "-03-01", "1000.00").statusCode(201)
                .body("amount", equalTo("1000.00")).extract().header("Location");
        given().get(location).then().statusCode(200).body("reference", equalTo("L-1")).body("kind", equalTo("SALARY"));
        cost(year, "SALARY", "L-1", year + "-03-01", "1000.00").statusCode(200);          // the same again
        cost(year, "SALARY", "L-1", year + "-03-01", "1000.01").statusCode(409);          // another under its reference
        cost(year, "BONUS", "L-2", "1900-01-01", "1.001").statusCode(400)
                .body("errors.field", contains("kind", "date", "amount"));
        cost(year, "INVOICE", "201601152388", year + "-03-01", "1.00").statusCode(400)
                .body("errors[0].field", equalTo("reference")).body(not(containsString("201601152388")));
        given().get("/api/v1/grants/" + year + "/costs").then().statusCode(200)
                .body("reference", contains("L-1")).body("amount", hasItems("1000.00"));
        given().get("/api/v1/grants/20x1").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void municipalityFiguresFollowTheCentreRegistry() {
        int year = YEAR + 7;
        String centre = "SE2321000164-E0000000" + year + "9";
        VisitData visit = new VisitData(UUID.randomUUID(), 1, "cosmic", "ENC-moved", centre, "child-moved-" + year,
                LocalDate.of(year - 1, 10, 1), LocalDate.of(year, 2, 1), ProgramSlot.MONTH_4, false,
                List.of(new Participant(ParticipantRole.BHV_NURSE, "N1", null)), List.of(), List.of(), false, List.of());
        sendVisit(EventType.VISIT_RECORDED, visit); // before its centre is known
        String report = "/api/v1/reports/socialstyrelsen/" + year;
        awaitReport(() -> given().get(report).then().body("results.perMunicipality.municipality", contains(nullValue())));
        send(Topics.CENTRES, centre, event(EventType.CENTRE_UPDATED, centre, new CentreData(centre, "Flyttad",
                "Kumla", "VARIABLE", BigDecimal.ONE, 10, null)));
        awaitReport(() -> given().get(report).then().body("results.perMunicipality.municipality", contains("Kumla")));
        send(Topics.CENTRES, centre, event(EventType.CENTRE_UPDATED, centre, new CentreData(centre, "Flyttad",
                "Hallsberg", "VARIABLE", BigDecimal.ONE, 10, null)));
        awaitReport(() -> given().get(report).then()
                .body("results.perMunicipality.municipality", contains("Hallsberg"))
                .body("results.perMunicipality[0].results.homeVisits", equalTo(1))
                .body("results.perCentre[0].municipality", equalTo("Hallsberg")));
    }

    @Test
    void aChildsSummariesFollowItsVisitsWhenOneMovesAndAreGoneWhenTheyAreRetracted() {
        int year = YEAR + 8;
        String first = "SE2321000164-E0000000" + year + "1";
        String second = "SE2321000164-E0000000" + year + "2";
        String report = "/api/v1/reports/socialstyrelsen/" + year;
        VisitData visit = new VisitData(UUID.randomUUID(), 1, "cosmic", "ENC-follow", first, "child-follow-" + year,
                LocalDate.of(year - 1, 10, 1), LocalDate.of(year, 2, 1), ProgramSlot.MONTH_4, false,
                List.of(new Participant(ParticipantRole.BHV_NURSE, "N1", null)), List.of(), List.of(), false, List.of());
        sendVisit(EventType.VISIT_RECORDED, visit);
        awaitReport(() -> given().get(report).then().body("results.perCentre.centreId", contains(first)));
        // corrected to the other centre: the first centre's row goes, the child is one child of the year still
        VisitData moved = new VisitData(visit.visitId(), 2, "cosmic", "ENC-follow", second, visit.childPseudonym(),
                visit.childBirthDate(), visit.visitDate(), visit.programSlot(), false, visit.participants(),
                List.of(), List.of(), false, List.of());
        sendVisit(EventType.VISIT_CORRECTED, moved);
        awaitReport(() -> given().get(report).then().body("results.perCentre.centreId", contains(second))
                .body("results.overall.childrenReached", equalTo(1)).body("results.overall.homeVisits", equalTo(1)));
        // a second visit of the child there: its rows are recomputed, still one child
        VisitData next = new VisitData(UUID.randomUUID(), 1, "cosmic", "ENC-follow-2", second, visit.childPseudonym(),
                visit.childBirthDate(), LocalDate.of(year, 6, 1), ProgramSlot.MONTH_8, false, visit.participants(),
                List.of(), List.of(), false, List.of());
        sendVisit(EventType.VISIT_RECORDED, next);
        awaitReport(() -> given().get(report).then().body("results.perCentre.centreId", contains(second))
                .body("results.perCentre[0].results.homeVisits", equalTo(2))
                .body("results.overall.childrenReached", equalTo(1)).body("results.overall.homeVisits", equalTo(2)));
        // both retracted: the child has no rows left in the year
        send(Topics.VISITS, visit.visitId().toString(), event(EventType.VISIT_RETRACTED, visit.visitId().toString(),
                new VisitRetractedData(visit.visitId(), 3, second, "registered in error")));
        send(Topics.VISITS, next.visitId().toString(), event(EventType.VISIT_RETRACTED, next.visitId().toString(),
                new VisitRetractedData(next.visitId(), 2, second, "registered in error")));
        awaitReport(() -> given().get(report).then().body("results.perCentre", hasSize(0))
                .body("results.perMunicipality", hasSize(0)).body("results.overall.childrenReached", equalTo(0)));
    }

    private static ValidatableResponse cost(int year, String kind, String reference, String date, String amount) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("kind", kind, "reference", reference, "date", date, "amount", amount))
                .post("/api/v1/grants/" + year + "/costs")
                .then();
    }

    public static void awaitReport(Runnable assertion) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static LocalDate date(int month, int day) {
        return LocalDate.of(YEAR, month, day);
    }

    private static VisitData visit(String child, String centre, LocalDate date, ProgramSlot slot, boolean joint) {
        return visit(UUID.randomUUID(), child, centre, date, slot, joint);
    }

    private static VisitData visit(UUID id, String child, String centre, LocalDate date, ProgramSlot slot,
                                   boolean joint) {
        List<Participant> participants = new ArrayList<>(List.of(new Participant(ParticipantRole.BHV_NURSE, "N1", null)));
        if (joint) {
            participants.add(new Participant(ParticipantRole.SOCIAL_SERVICES, null, "Örebro kommun"));
        }
        return new VisitData(id, 1, "cosmic", "ENC-" + id, centre, "child-" + child + "-" + YEAR,
                LocalDate.of(YEAR - 1, 10, 1), date, slot, false, participants,
                joint ? List.of("ZV509") : List.of(), List.of(), false, List.of());
    }

    private static VisitData with(VisitData v, List<Referral> referrals, boolean interpreter, List<String> risks) {
        return new VisitData(v.visitId(), v.revision(), v.sourceSystem(), v.sourceVisitId(), v.centreId(),
                v.childPseudonym(), v.childBirthDate(), v.visitDate(), v.programSlot(), v.programSlotInferred(),
                v.participants(), v.kvaCodes(), referrals, interpreter, risks);
    }

    private static VisitData revision(VisitData v, int revision) {
        return new VisitData(v.visitId(), revision, v.sourceSystem(), v.sourceVisitId(), v.centreId(),
                v.childPseudonym(), v.childBirthDate(), v.visitDate(), v.programSlot(), v.programSlotInferred(),
                v.participants(), v.kvaCodes(), v.referrals(), v.interpreterUsed(), v.riskFactors());
    }

    /** A line as published before the second round: without forPeriod and adjustedKind. */
    private static CloudEvent payout(long lineId, String centre, String period, String kind, String amount,
                                     String funding, VisitData visit) {
        return payout(lineId, centre, period, null, kind, null, amount, funding, visit);
    }

    private static CloudEvent payout(long lineId, String centre, String period, String forPeriod, String kind,
                                     String adjustedKind, String amount, String funding, VisitData visit) {
        PayoutLineBookedData data = new PayoutLineBookedData(lineId, centre, period, forPeriod, kind, adjustedKind,
                new BigDecimal(amount),
                funding, "R1", "test", visit == null ? null : visit.visitId(), visit == null ? null : visit.visitDate(),
                visit == null ? null : visit.childPseudonym(), Instant.now());
        return event(EventType.PAYOUT_LINE_BOOKED, Long.toString(lineId), data);
    }

    private static void sendVisit(EventType type, VisitData v) {
        send(Topics.VISITS, v.visitId().toString(), event(type, v.visitId().toString(), v));
    }

    private static CloudEvent event(EventType type, String subject, Object data) {
        return EventCodec.envelope(type, "/test", subject, Instant.now(), data);
    }

    private static void send(String topic, String key, CloudEvent event) {
        TopicProbe.send(TestInfrastructure.get().kafka().bootstrapServers(), topic, key, EventCodec.write(event));
    }
}
