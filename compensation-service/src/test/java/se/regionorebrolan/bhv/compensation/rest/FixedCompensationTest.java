package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.TestVisits;
import se.regionorebrolan.bhv.compensation.messaging.VisitBookingTest;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.localstack.EventSchemas;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;
import se.regionorebrolan.bhv.localstack.Tokens;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fixed compensation through time, against the real database and broker: the unit's decisions make a centre a
 * fixed-model centre from a date, every month of the year with an amount is booked, a back-dated approval and an ended
 * approval re-split booked months (a closed one in the first open month) and no month ever pays more or less than its
 * part; visits are priced by the model on their visit date.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class FixedCompensationTest {

    static final String EARLY = "SE2321000164-E000000000911";
    static final String LATE = "SE2321000164-E000000000912";
    /** 1 234 567.89 SEK = 12 × 102 880.65 + 9 öre: January to September get one öre more. */
    static final long YEARLY = 123_456_789L;

    static long part(int month) {
        return month <= 9 ? 10_288_066L : 10_288_065L;
    }

    @Test
    void decisionsMakeTheModelAndEveryMonthStaysAtItsPartThroughBackDatedAndEndedApprovals() {
        VisitBookingTest.putCentre(EARLY, "FIXED_EXTENDED", "3.40", "2026-01-01");
        VisitBookingTest.putCentre(LATE, "VARIABLE", "2.60", null);
        given().contentType(ContentType.JSON).body(Map.of("amount", "1234567.89", "source", "RS-beslut 2025-12-01 §7"))
                .put("/api/v1/fixed-compensation/2026").then().statusCode(201).body("amount", equalTo("1234567.89"));

        // every month of the year so far is booked (today is in December 2026), EARLY in each of them
        Map<String, Long> early = fixedNet(EARLY);
        for (int m = 1; m <= 12; m++) {
            assertTrue(early.getOrDefault(month(m), 0L) > 0, "EARLY is paid for " + month(m));
        }
        assertMonthsAtTheirParts();
        given().post("/api/v1/fixed-compensation/2026-03/book").then().statusCode(200).body("lines.size()", equalTo(0));

        // finance closes February; then LATE is approved back-dated to 10 February
        Tokens tokens = TestInfrastructure.get().tokens();
        given().header("Authorization", "Bearer " + tokens.mint("ekonom", List.of("finance"), null))
                .post("/api/v1/periods/2026-02/close").then().statusCode(200);
        String earlyFebruary = given().get("/api/v1/payouts/" + EARLY + "/2026-02").then().statusCode(200)
                .extract().path("amounts.total");
        long application = VisitBookingTest.approve(LATE, "2026-02-10");
        assertMonthsAtTheirParts();
        Map<String, Object> lateFebruary = fixedLines(LATE).stream()
                .filter(l -> "2026-02".equals(l.get("forPeriod"))).findFirst().orElseThrow();
        assertEquals("2026-03", lateFebruary.get("period"), "February is closed: paid in March");
        assertEquals("ADJUSTMENT", lateFebruary.get("kind"));
        assertEquals("FIXED_MONTHLY", lateFebruary.get("adjustedKind"));
        assertTrue(fixedLines(LATE).stream().noneMatch(l -> "2026-01".equals(l.get("forPeriod"))),
                "nothing before the approval month");
        List<Map<String, Object>> earlyReSplit = fixedLines(EARLY).stream()
                .filter(l -> l.get("correctsLineId") != null && "2026-02".equals(l.get("forPeriod"))).toList();
        assertEquals(1, earlyReSplit.size(), "EARLY gives back its part of LATE's February share, once: "
                + fixedLines(EARLY).stream().filter(l -> "2026-02".equals(l.get("forPeriod"))).toList());
        assertTrue(new BigDecimal((String) earlyReSplit.get(0).get("amount")).signum() < 0);
        assertEquals("ADJUSTMENT", earlyReSplit.get(0).get("kind"), "an adjustment, pointing at what it corrects");
        given().get("/api/v1/payouts/" + EARLY + "/2026-02").then().statusCode(200)
                .body("status", equalTo("CLOSED")).body("amounts.total", equalTo(earlyFebruary));

        // the unit ends EARLY's approval from 1 July: July to December re-split to the others, EARLY at nothing
        long earlyApplication = given().get("/api/v1/centres/" + EARLY).then().statusCode(200)
                .extract().jsonPath().getLong("applications[0].applicationId");
        given().contentType(ContentType.JSON).body(Map.of("outcome", "ENDED", "decisionRef", "CBHV 2026/88",
                        "decidedOn", "2026-06-20", "effectiveOn", "2026-07-01"))
                .post("/api/v1/centres/" + EARLY + "/fixed-applications/" + earlyApplication + "/decisions")
                .then().statusCode(201).body("decisions.outcome", equalTo(List.of("APPROVED", "ENDED")));
        assertMonthsAtTheirParts();
        early = fixedNet(EARLY);
        for (int m = 7; m <= 12; m++) {
            assertEquals(0L, early.get(month(m)), "EARLY is not on the fixed model in " + month(m));
        }
        given().get("/api/v1/centres/" + EARLY).then().statusCode(200)
                .body("compensationModel", equalTo("VARIABLE"))
                .body("modelPeriods.model", equalTo(List.of("VARIABLE", "FIXED_EXTENDED", "VARIABLE")))
                .body("modelPeriods[1].to", equalTo("2026-07-01"));
        given().get("/api/v1/fixed-compensation/2026").then().statusCode(200)
                .body("months.size()", equalTo(12)).body("unpaid", equalTo("0.00"))
                .body("months.find { it.period == '2026-07' }.part", equalTo("102880.66"))
                .body("months.find { it.period == '2026-07' }.centres.centreId", hasItem(LATE));

        // visits are priced by the model on their visit date
        assertEquals("2500.00", bookedAmount(visitOn(LATE, LocalDate.of(2026, 2, 9))), "LATE before its approval");
        assertEquals("1800.00", bookedAmount(visitOn(LATE, LocalDate.of(2026, 2, 10))), "LATE from its approval");
        assertEquals("1800.00", bookedAmount(visitOn(EARLY, LocalDate.of(2026, 6, 30))), "EARLY while approved");
        assertEquals("2500.00", bookedAmount(visitOn(EARLY, LocalDate.of(2026, 7, 1))), "EARLY after it ended");

        // a re-split line on Kafka carries the month it is for and the kind it adjusts, as the schema says
        Object lineId = earlyReSplit.get(0).get("lineId");
        List<ConsumerRecord<String, String>> records = TopicProbe.read(
                TestInfrastructure.get().kafka().bootstrapServers(), Topics.PAYOUTS,
                rs -> rs.stream().anyMatch(r -> r.value().contains("\"lineId\":" + lineId + ",")), Duration.ofSeconds(15));
        ConsumerRecord<String, String> record = records.stream()
                .filter(r -> r.value().contains("\"lineId\":" + lineId + ",")).findFirst().orElseThrow();
        assertEquals(List.of(), EventSchemas.violations(record.value()));
        assertTrue(record.value().contains("\"forPeriod\":\"2026-02\"") && record.value().contains(
                "\"adjustedKind\":\"FIXED_MONTHLY\"") && !record.value().contains("visitId"), record.value());

        // the yearly amount is frozen once booked; the decisions refuse what the routine does not allow
        given().contentType(ContentType.JSON).body(Map.of("amount", "2000000.00", "source", "changed"))
                .put("/api/v1/fixed-compensation/2026").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("can no longer change"));
        given().contentType(ContentType.JSON).body(Map.of("outcome", "APPROVED", "decisionRef", "x",
                        "decidedOn", "2026-01-01", "effectiveOn", "2026-01-01"))
                .post("/api/v1/centres/" + LATE + "/fixed-applications/" + application + "/decisions")
                .then().statusCode(409).body("detail", containsString("already decided"));
    }

    @Test
    void theFixedModelIsRefusedOffTheListBelowTheThresholdOrOverlapping() {
        String off = "SE2321000164-E000000000913";
        VisitBookingTest.putCentre(off, "VARIABLE", "3.00", null);
        given().contentType(ContentType.JSON).body(Map.of("receivedOn", "2026-01-05", "requestedFrom", "2026-02-01",
                        "plannedUse", "plan")).post("/api/v1/centres/" + off + "/fixed-applications")
                .then().statusCode(409).body("detail", containsString("not on the region's list"));
        given().contentType(ContentType.JSON).body(Map.of("receivedOn", "2026-01-05"))
                .post("/api/v1/centres/" + off + "/fixed-applications").then().statusCode(400)
                .body("errors.field", equalTo(List.of("requestedFrom", "plannedUse")));

        String low = "SE2321000164-E000000000914";
        VisitBookingTest.putCentre(low, "VARIABLE", "2.00", null);
        given().contentType(ContentType.JSON).body(Map.of("source", "rutin 1138579"))
                .put("/api/v1/fixed-compensation/eligible-centres/" + low).then().statusCode(201);
        long application = given().contentType(ContentType.JSON).body(Map.of("receivedOn", "2026-01-05",
                        "requestedFrom", "2026-02-01", "plannedUse", "två extra besök"))
                .post("/api/v1/centres/" + low + "/fixed-applications").then().statusCode(201)
                .extract().jsonPath().getLong("applicationId");
        String decisions = "/api/v1/centres/" + low + "/fixed-applications/" + application + "/decisions";
        given().contentType(ContentType.JSON).body(Map.of("outcome", "APPROVED", "decisionRef", "CBHV 1",
                        "decidedOn", "2026-01-20", "effectiveOn", "2026-02-01"))
                .post(decisions).then().statusCode(409).body("detail", containsString("not above the rule set's threshold"));
        given().contentType(ContentType.JSON).body(Map.of("outcome", "ENDED", "decisionRef", "CBHV 1",
                        "decidedOn", "2026-01-20", "effectiveOn", "2026-02-01"))
                .post(decisions).then().statusCode(409).body("detail", containsString("only an approved"));
        given().contentType(ContentType.JSON).body(Map.of("outcome", "REJECTED", "decidedOn", "2026-01-20"))
                .post(decisions).then().statusCode(400).body("errors.field", equalTo(List.of("decisionRef")));
        given().contentType(ContentType.JSON).body(Map.of("outcome", "REJECTED", "decisionRef", "CBHV 2",
                "decidedOn", "2026-01-20")).post(decisions).then().statusCode(201);
        given().get("/api/v1/centres/" + low).then().statusCode(200).body("compensationModel", equalTo("VARIABLE"))
                .body("applications[0].plannedUse", equalTo("två extra besök"))
                .body("applications[0].decisions[0].outcome", equalTo("REJECTED"));
        given().contentType(ContentType.JSON).body(Map.of("outcome", "REJECTED", "decisionRef", "x",
                "decidedOn", "2026-01-20")).post("/api/v1/centres/" + low + "/fixed-applications/999999/decisions")
                .then().statusCode(404);

        // a second approval that overlaps the first is refused
        String twice = "SE2321000164-E000000000915";
        VisitBookingTest.putCentre(twice, "FIXED_EXTENDED", "3.00", "2026-03-01");
        long second = given().contentType(ContentType.JSON).body(Map.of("receivedOn", "2026-05-05",
                        "requestedFrom", "2026-06-01", "plannedUse", "mer"))
                .post("/api/v1/centres/" + twice + "/fixed-applications").then().statusCode(201)
                .extract().jsonPath().getLong("applicationId");
        given().contentType(ContentType.JSON).body(Map.of("outcome", "APPROVED", "decisionRef", "CBHV 3",
                        "decidedOn", "2026-05-20", "effectiveOn", "2026-06-01"))
                .post("/api/v1/centres/" + twice + "/fixed-applications/" + second + "/decisions")
                .then().statusCode(409).body("detail", containsString("overlaps"));
        given().get("/api/v1/fixed-compensation/eligible-centres").then().statusCode(200)
                .body("centreId", hasItem(low));
        given().delete("/api/v1/fixed-compensation/eligible-centres/" + low).then().statusCode(204);
        given().delete("/api/v1/fixed-compensation/eligible-centres/" + low).then().statusCode(404);
    }

    /** Every month of 2026 stands at its part, over all centres' fixed lines (wherever they are paid). */
    private static void assertMonthsAtTheirParts() {
        Map<String, Long> byMonth = new TreeMap<>();
        for (Map<String, Object> line : VisitBookingTest.feed()) {
            String forPeriod = (String) line.get("forPeriod");
            if (line.get("visitId") == null && forPeriod.startsWith("2026-")) {
                byMonth.merge(forPeriod, ore(line), Long::sum);
            }
        }
        for (int m = 1; m <= 12; m++) {
            assertEquals(part(m), byMonth.get(month(m)), "the month's part, to the öre: " + month(m));
        }
        assertEquals(YEARLY, byMonth.values().stream().mapToLong(Long::longValue).sum(), "the year's amount");
    }

    private static List<Map<String, Object>> fixedLines(String centre) {
        return VisitBookingTest.feed().stream()
                .filter(l -> centre.equals(l.get("centreId")) && l.get("visitId") == null).toList();
    }

    private static Map<String, Long> fixedNet(String centre) {
        Map<String, Long> net = new TreeMap<>();
        fixedLines(centre).forEach(l -> net.merge((String) l.get("forPeriod"), ore(l), Long::sum));
        return net;
    }

    private static VisitData visitOn(String centre, LocalDate date) {
        VisitData v = TestVisits.visit(centre, ProgramSlot.MONTH_2, true, "ZV509");
        return new VisitData(v.visitId(), 1, v.sourceSystem(), v.sourceVisitId(), centre, v.childPseudonym(),
                v.childBirthDate(), date, v.programSlot(), false, v.participants(), v.kvaCodes(), v.referrals(), false,
                v.riskFactors());
    }

    private static String bookedAmount(VisitData visit) {
        VisitBookingTest.publishRecorded(visit);
        return (String) VisitBookingTest.awaitLines(visit, 1).get(0).get("amount");
    }

    private static long ore(Map<String, Object> line) {
        return new BigDecimal((String) line.get("amount")).movePointRight(2).longValueExact();
    }

    private static String month(int m) {
        return String.format("2026-%02d", m);
    }
}
