package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reconciliation runs in SQL over the whole month (issue 18): states that booking never produces — money on the wrong
 * centre, for a retracted visit, for a visit never seen, a visit without money — are written straight into
 * {@code visit_seen} and {@code payout_line} of a month no other test uses, and each must come back as its kind of
 * difference, with the centres' counts worked out by hand here.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class ReconciliationTest {

    static final String A = "SE2321000164-E000000000961";
    static final String B = "SE2321000164-E000000000962";
    static final LocalDate DAY = LocalDate.of(2031, 3, 14);

    @Inject
    Pool pool;

    @Test
    void everyKindOfDifferenceIsFoundInSqlAndTheCentresAreCountedByHand() {
        UUID paid = UUID.randomUUID();            // A, seen, 2 500.00 on A: fine
        UUID retractedNetZero = UUID.randomUUID(); // A, retracted, +1 800.00 and -1 800.00: fine
        UUID moved = UUID.randomUUID();           // B, seen; 0 left on A, 1 800.00 on B: fine
        UUID unbooked = UUID.randomUUID();        // A, seen, nothing booked: NOT_BOOKED
        UUID retractedButPaid = UUID.randomUUID(); // A, retracted, 1 800.00 on A: RETRACTED_BUT_BOOKED
        UUID elsewhere = UUID.randomUUID();       // B, seen, 2 500.00 on A and on B: BOOKED_ON_ANOTHER_CENTRE (A)
        UUID unseen = UUID.randomUUID();          // never seen, 1 800.00 on B paid in 2031-03: BOOKED_BUT_NOT_SEEN
        seen(paid, A, false);
        seen(retractedNetZero, A, true);
        seen(moved, B, false);
        seen(unbooked, A, false);
        seen(retractedButPaid, A, true);
        seen(elsewhere, B, false);
        line(paid, A, 250000);
        line(retractedNetZero, A, 180000);
        line(retractedNetZero, A, -180000);
        line(moved, A, 180000);
        line(moved, A, -180000);
        line(moved, B, 180000);
        line(retractedButPaid, A, 180000);
        line(elsewhere, A, 250000);
        line(elsewhere, B, 250000);
        line(unseen, B, 180000);

        JsonPath result = given().queryParam("period", "2031-03").get("/api/v1/reconciliation").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(4, result.getInt("differenceCount"));
        assertEquals(4, result.getInt("differencesListed"));
        assertEquals(List.of(A, B), result.getList("centres.centreId"));
        // A saw 4 (2 retracted) and holds money for paid, retractedButPaid, elsewhere: 2 500 + 1 800 + 2 500
        assertEquals(Map.of("visitsSeen", 4, "visitsRetracted", 2, "visitsBooked", 3, "bookedAmount", "6800.00"),
                counts(result, 0));
        // B saw 2 and holds money for moved, elsewhere, unseen: 1 800 + 2 500 + 1 800
        assertEquals(Map.of("visitsSeen", 2, "visitsRetracted", 0, "visitsBooked", 3, "bookedAmount", "6100.00"),
                counts(result, 1));
        assertEquals(List.of(List.of(unbooked.toString(), "NOT_BOOKED", "0.00")), differences(result, 0, "NOT_BOOKED"));
        assertEquals(List.of(List.of(retractedButPaid.toString(), "RETRACTED_BUT_BOOKED", "1800.00")),
                differences(result, 0, "RETRACTED_BUT_BOOKED"));
        assertEquals(List.of(List.of(elsewhere.toString(), "BOOKED_ON_ANOTHER_CENTRE", "2500.00")),
                differences(result, 0, "BOOKED_ON_ANOTHER_CENTRE"));
        assertEquals(List.of(List.of(unseen.toString(), "BOOKED_BUT_NOT_SEEN", "1800.00")),
                differences(result, 1, "BOOKED_BUT_NOT_SEEN"));
        assertEquals("NOT_BOOKED", result.getString("centres[0].differences[0].kind"), "visits not booked first");
    }

    /** A statement of more lines than one cursor page streams whole, in line order, adding up to its total. */
    @Test
    void aLargeStatementStreamsEveryLineInOrderAndTheLinesAddUpToItsTotal() {
        String centre = "SE2321000164-E000000000963";
        se.regionorebrolan.bhv.compensation.messaging.VisitBookingTest.putCentre(centre, "VARIABLE", "1.00", null);
        int lines = 2_345; // more than two cursor pages, and not a whole number of them
        pool.preparedQuery("INSERT INTO payout_line (centre_id, period, for_period, kind, amount_ore, funding_source,"
                        + " rule_set_id, reason, visit_id, visit_revision, visit_date, booked_at)"
                        + " SELECT $1, '2031-04', '2031-04', CASE WHEN i % 3 = 0 THEN 'ORDINARY_VISIT' ELSE 'JOINT_VISIT'"
                        + " END, CASE WHEN i % 3 = 0 THEN 180000 ELSE 250000 END, 'STATE_GRANT', 'R1', 'test',"
                        + " gen_random_uuid(), 1, DATE '2031-04-02', now() FROM generate_series(1, $2) AS i")
                .execute(Tuple.of(centre, lines)).await().indefinitely();
        int ordinary = lines / 3; // i % 3 == 0 for i in 1..2345: 781
        long expectedOre = ordinary * 180000L + (lines - ordinary) * 250000L;

        JsonPath statement = given().get("/api/v1/payouts/" + centre + "/2031-04").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertEquals(lines, statement.getInt("lineCount"));
        List<Long> ids = statement.getList("lines.lineId", Long.class);
        assertEquals(lines, ids.size());
        assertEquals(ids.stream().sorted().toList(), ids, "in line order");
        assertEquals(new java.math.BigDecimal(expectedOre).movePointLeft(2).toPlainString(),
                statement.getString("amounts.total"));
        assertEquals(expectedOre, statement.getList("lines.amount", String.class).stream()
                .mapToLong(a -> new java.math.BigDecimal(a).movePointRight(2).longValueExact()).sum());
        assertEquals(new java.math.BigDecimal(ordinary * 180000L).movePointLeft(2).toPlainString(),
                statement.getString("amounts.ordinaryVisits"));
    }

    private static Map<String, Object> counts(JsonPath result, int centre) {
        Map<String, Object> c = result.getMap("centres[" + centre + "]");
        return Map.of("visitsSeen", c.get("visitsSeen"), "visitsRetracted", c.get("visitsRetracted"), "visitsBooked",
                c.get("visitsBooked"), "bookedAmount", c.get("bookedAmount"));
    }

    private static List<List<String>> differences(JsonPath result, int centre, String kind) {
        List<Map<String, String>> all = result.getList("centres[" + centre + "].differences");
        return all.stream().filter(d -> d.get("kind").equals(kind))
                .map(d -> List.of(d.get("visitId"), d.get("kind"), d.get("bookedAmount"))).toList();
    }

    private void seen(UUID visit, String centre, boolean retracted) {
        pool.preparedQuery("INSERT INTO visit_seen (visit_id, centre_id, visit_date, revision, retracted, seen_at)"
                + " VALUES ($1, $2, $3, 1, $4, now())").execute(Tuple.of(visit, centre, DAY, retracted))
                .await().indefinitely();
    }

    private void line(UUID visit, String centre, long ore) {
        pool.preparedQuery("INSERT INTO payout_line (centre_id, period, for_period, kind, amount_ore, funding_source,"
                        + " rule_set_id, reason, visit_id, visit_revision, visit_date, booked_at)"
                        + " VALUES ($1, '2031-03', '2031-03', 'JOINT_VISIT', $2, 'STATE_GRANT', 'R1', 'test', $3, 1, $4,"
                        + " now())").execute(Tuple.of(centre, ore, visit, DAY)).await().indefinitely();
    }
}
