package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.messaging.VisitBookingTest;
import se.regionorebrolan.bhv.compensation.service.FixedCompensation;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.EventSchemas;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The yearly amount, a month booked on demand once per centre, its lines in statements and on Kafka. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class FixedCompensationTest {

    static final String EARLY = "SE2321000164-E000000000911";
    static final String LATE = "SE2321000164-E000000000912";

    @Test
    void aMonthIsSharedExactlyOncePerCentreAndTheYearlyAmountIsFrozenOnceBooked() {
        VisitBookingTest.putCentre(EARLY, "FIXED_EXTENDED", "3.40", "2026-01-01");
        VisitBookingTest.putCentre(LATE, "FIXED_EXTENDED", "2.60", "2026-06-15");
        given().contentType(ContentType.JSON).body(Map.of("amount", "1234567.89", "source", "RS-beslut 2025-12-01 §7"))
                .put("/api/v1/fixed-compensation/2026").then().statusCode(201).body("amount", equalTo("1234567.89"));
        given().get("/api/v1/fixed-compensation/2026").then().statusCode(200)
                .body("source", equalTo("RS-beslut 2025-12-01 §7"));

        // March: LATE is not approved yet
        List<Map<String, Object>> march = book("2026-03");
        assertTrue(march.stream().anyMatch(l -> EARLY.equals(l.get("centreId"))));
        assertTrue(march.stream().noneMatch(l -> LATE.equals(l.get("centreId"))), "not before its approval month");
        assertEquals(FixedCompensation.monthlyPart(123_456_789L, YearMonth.of(2026, 3)), sumOre(march),
                "the month's part of 1 234 567.89 (102 880.66), shared to the öre");
        assertEquals(List.of(), book("2026-03"), "a month is booked once per centre");

        List<Map<String, Object>> june = book("2026-06");
        assertTrue(june.stream().anyMatch(l -> LATE.equals(l.get("centreId"))), "from its approval month on");
        assertEquals(FixedCompensation.monthlyPart(123_456_789L, YearMonth.of(2026, 6)), sumOre(june));
        for (Map<String, Object> line : june) {
            assertEquals("FIXED_MONTHLY", line.get("kind"));
            assertEquals("STATE_GRANT", line.get("fundingSource"));
            assertEquals("R1", line.get("ruleSet"));
        }

        String earlyJune = (String) june.stream().filter(l -> EARLY.equals(l.get("centreId"))).findFirst().orElseThrow()
                .get("amount");
        given().get("/api/v1/payouts/" + EARLY + "/2026-06").then().statusCode(200)
                .body("amounts.fixed", equalTo(earlyJune)).body("amounts.total", equalTo(earlyJune));

        // once a month is booked, the yearly amount stays what it was
        given().contentType(ContentType.JSON).body(Map.of("amount", "2000000.00", "source", "changed"))
                .put("/api/v1/fixed-compensation/2026").then().statusCode(409);
        given().contentType(ContentType.JSON).body(Map.of("amount", "1234567.89", "source", "RS-beslut 2025-12-01 §7"))
                .put("/api/v1/fixed-compensation/2026").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("amount", "-1", "source", "x"))
                .put("/api/v1/fixed-compensation/2027").then().statusCode(400).contentType("application/problem+json");
        given().post("/api/v1/fixed-compensation/2026-13/book").then().statusCode(400);
        given().get("/api/v1/fixed-compensation/2024").then().statusCode(404);
        assertEquals(List.of(), book("2024-01"), "no yearly amount set: nothing to book");
        given().post("/api/v1/fixed-compensation/" + YearMonth.now().plusMonths(2) + "/book").then().statusCode(400);

        // published as PayoutLineBooked without visit fields, conforming to the contract's schema
        Object lineId = june.get(0).get("lineId");
        List<ConsumerRecord<String, String>> records = TopicProbe.read(
                TestInfrastructure.get().kafka().bootstrapServers(), Topics.PAYOUTS,
                rs -> rs.stream().anyMatch(r -> r.value().contains("\"lineId\":" + lineId + ",")), Duration.ofSeconds(15));
        ConsumerRecord<String, String> record = records.stream()
                .filter(r -> r.value().contains("\"lineId\":" + lineId + ",")).findFirst().orElseThrow();
        assertEquals(List.of(), EventSchemas.violations(record.value()));
        assertTrue(record.value().contains("FIXED_MONTHLY") && !record.value().contains("visitId"), record.value());
    }

    private static List<Map<String, Object>> book(String period) {
        return given().post("/api/v1/fixed-compensation/" + period + "/book").then().statusCode(200)
                .body("period", equalTo(period)).extract().jsonPath().getList("lines");
    }

    private static long sumOre(List<Map<String, Object>> lines) {
        return lines.stream().mapToLong(l -> new BigDecimal((String) l.get("amount")).movePointRight(2).longValueExact())
                .sum();
    }
}
