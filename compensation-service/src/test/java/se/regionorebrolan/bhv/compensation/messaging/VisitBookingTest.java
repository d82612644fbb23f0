package se.regionorebrolan.bhv.compensation.messaging;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.TestVisits;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;
import se.regionorebrolan.bhv.localstack.EventSchemas;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Visit events from a real Kafka topic become payout lines in the feed and on bhv.payouts.v1, exactly once. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
public class VisitBookingTest {

    @Inject
    Pool pool;

    static final String VARIABLE_CENTRE = "SE2321000164-E000000000901";
    static final String FIXED_CENTRE = "SE2321000164-E000000000902";

    @BeforeEach
    void centres() {
        putCentre(VARIABLE_CENTRE, "VARIABLE", "1.10", null);
        putCentre(FIXED_CENTRE, "FIXED_EXTENDED", "3.20", "2026-01-01");
    }

    /**
     * Registers a centre. A FIXED_EXTENDED centre is registered as the region does it: as a variable-model centre,
     * put on the list of centres that may apply, its application recorded and approved from {@code approvedFrom}.
     */
    public static void putCentre(String id, String model, String cni, String approvedFrom) {
        boolean fixed = "FIXED_EXTENDED".equals(model);
        boolean known = given().get("/api/v1/centres/" + id).statusCode() == 200;
        if (!(fixed && known)) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("name", "Testcentralen " + id.substring(id.length() - 3), "municipality", "Örebro",
                            "compensationModel", "VARIABLE", "childCni", new BigDecimal(cni), "listedChildren0to5", 1000,
                            "figuresValidFrom", "2020-01-01"))
                    .put("/api/v1/centres/" + id)
                    .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                            org.hamcrest.Matchers.is(201)));
        }
        if (fixed && !known) {
            approve(id, approvedFrom);
        }
    }

    /** Lists the centre, records an application and approves it from the date; answers the application id. */
    public static long approve(String id, String from) {
        given().contentType(ContentType.JSON).body(Map.of("source", "rutin 1138579 (test)"))
                .put("/api/v1/fixed-compensation/eligible-centres/" + id)
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                        org.hamcrest.Matchers.is(201)));
        long application = given().contentType(ContentType.JSON)
                .body(Map.of("receivedOn", from, "requestedFrom", from, "plannedUse", "två extra hembesök per familj"))
                .post("/api/v1/centres/" + id + "/fixed-applications")
                .then().statusCode(201).extract().jsonPath().getLong("applicationId");
        given().contentType(ContentType.JSON)
                .body(Map.of("outcome", "APPROVED", "decisionRef", "CBHV-" + application, "decidedOn", from,
                        "effectiveOn", from))
                .post("/api/v1/centres/" + id + "/fixed-applications/" + application + "/decisions")
                .then().statusCode(201);
        return application;
    }

    static CloudEvent recorded(VisitData visit) {
        return EventCodec.envelope(EventType.VISIT_RECORDED, "/visit-service", visit.visitId().toString(),
                Instant.now(), visit);
    }

    public static void publishRecorded(VisitData visit) {
        publish(recorded(visit));
    }

    static void publish(CloudEvent event) {
        TopicProbe.send(bootstrap(), Topics.VISITS, event.subject(), EventCodec.write(event));
    }

    @Test
    void aJointVisitAtAVariableCentreIsBookedOnceAsStateGrantMoney() {
        VisitData visit = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_2, true, "ZV509");
        CloudEvent event = recorded(visit);
        publish(event);
        publish(event); // a re-sent event (same id) changes nothing

        List<Map<String, Object>> lines = awaitLines(visit, 1);
        assertEquals(1, lines.size());
        Map<String, Object> line = lines.get(0);
        assertEquals("JOINT_VISIT", line.get("kind"));
        assertEquals("2500.00", line.get("amount"));
        assertEquals("STATE_GRANT", line.get("fundingSource"));
        assertEquals("R1", line.get("ruleSet"));
        assertEquals("2026-03", line.get("period"));

        List<ConsumerRecord<String, String>> booked = TopicProbe.read(bootstrap(), Topics.PAYOUTS,
                records -> records.stream().anyMatch(r -> r.value().contains(visit.visitId().toString())),
                Duration.ofSeconds(15)).stream().filter(r -> r.value().contains(visit.visitId().toString())).toList();
        assertEquals(1, booked.size());
        assertEquals(VARIABLE_CENTRE, booked.get(0).key());
        assertEquals(List.of(), EventSchemas.violations(booked.get(0).value()), "conforms to the contract's schema");
        CloudEvent bookedEvent = EventCodec.read(booked.get(0).value());
        assertEquals(EventType.PAYOUT_LINE_BOOKED, bookedEvent.eventType());
        PayoutLineBookedData data = EventCodec.data(bookedEvent, PayoutLineBookedData.class);
        assertEquals(new BigDecimal("2500.00"), data.amount());
        assertTrue(booked.get(0).value().contains("\"amount\":\"2500.00\""), "money travels as a two-decimal string");

        // the same event again long after it was booked (a redelivery after a crash: another poll batch) books
        // nothing: its revision is not newer than the one seen; a visit posted after it is booked meanwhile
        publish(event);
        VisitData after = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_4, true, "ZV509");
        publishRecorded(after);
        assertEquals(1, awaitLines(after, 1).size());
        assertEquals(1, awaitLines(visit, 1).size(), "the redelivered event booked nothing");
    }

    @Test
    void aJointVisitAtAFixedModelCentreGetsTheOrdinaryRate() {
        VisitData visit = TestVisits.visit(FIXED_CENTRE, ProgramSlot.MONTH_4, true, "ZV509");
        publish(recorded(visit));
        Map<String, Object> line = awaitLines(visit, 1).get(0);
        assertEquals("ORDINARY_VISIT", line.get("kind"));
        assertEquals("1800.00", line.get("amount"));
        assertEquals("ORDINARY", line.get("fundingSource"));
    }

    @Test
    void anUnknownCentreOrAnUnreadableRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() {
        VisitData unknown = TestVisits.visit("SE2321000164-E000000000999", ProgramSlot.MONTH_2, true, "ZV509");
        publish(recorded(unknown));
        TopicProbe.send(bootstrap(), Topics.VISITS, "garbage-key", "{not json");
        TopicProbe.send(bootstrap(), Topics.VISITS, "tombstone-key", null); // a record without a value
        VisitData after = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_2, false, null);
        publish(recorded(after));

        assertEquals(1, awaitLines(after, 1).size(), "consumption goes on after bad records");
        assertEquals(0, awaitLines(unknown, 0).size());
        List<ConsumerRecord<String, String>> dead = TopicProbe.read(bootstrap(), Topics.deadLetters(Topics.VISITS, "compensation-service"),
                records -> records.stream().anyMatch(r -> "garbage-key".equals(r.key()))
                        && records.stream().anyMatch(r -> "tombstone-key".equals(r.key()))
                        && records.stream().anyMatch(r -> unknown.visitId().toString().equals(r.key())),
                Duration.ofSeconds(15));
        ConsumerRecord<String, String> deadUnknown = dead.stream()
                .filter(r -> unknown.visitId().toString().equals(r.key())).findFirst().orElseThrow();
        String reason = new String(deadUnknown.headers().lastHeader("dead-letter-reason").value());
        assertTrue(reason.contains("unknown centre"), reason);
        assertTrue(dead.stream().anyMatch(r -> "garbage-key".equals(r.key())));
        assertTrue(given().get("/q/metrics").then().extract().asString()
                .matches("(?s).*bhv_dead_letters_total\\{topic=\"bhv.visits.v1.compensation-service.dlq\"} [1-9].*"), "dead letters are counted");
    }

    /**
     * More refused records in one poll batch than the dead-letter emitter buffers (128): all of them go to the
     * dead-letter topic and the channel goes on. Sent at once, the 129th failed the batch, stopped the channel, and
     * every restart met the same batch again.
     */
    @Test
    void aBurstOfBadRecordsInOneBatchIsDeadLetteredWholeAndBookingGoesOn() {
        String burstKey = "burst-" + UUID.randomUUID();
        int burst = 6000; // one key: one partition, read in polls of up to 2 000 records
        TopicProbe.sendAll(bootstrap(), Topics.VISITS, burstKey,
                java.util.stream.IntStream.range(0, burst).mapToObj(i -> "{not json " + i).toList());
        VisitData after = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_2, false, null);
        publish(recorded(after));

        assertEquals(1, awaitLines(after, 1).size(), "booking goes on after the burst");
        List<ConsumerRecord<String, String>> dead = TopicProbe.read(bootstrap(),
                Topics.deadLetters(Topics.VISITS, "compensation-service"),
                records -> records.stream().filter(r -> burstKey.equals(r.key())).count() >= burst,
                Duration.ofSeconds(30));
        assertEquals(burst, dead.stream().filter(r -> burstKey.equals(r.key())).map(ConsumerRecord::value)
                .distinct().count(), "every bad record of the burst is dead-lettered");
    }

    @Test
    void deadLettersAreReplayedAfterTheCauseIsFixedAndWhatStillFailsGoesBack() {
        String centre = "SE2321000164-DLQ" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").toUpperCase();
        VisitData early = TestVisits.visit(centre, ProgramSlot.MONTH_2, true, "ZV509");
        publish(recorded(early));
        String garbageKey = "garbage-" + UUID.randomUUID();
        TopicProbe.send(bootstrap(), Topics.VISITS, garbageKey, "{still not json");
        String deadLetterTopic = Topics.deadLetters(Topics.VISITS, "compensation-service");
        TopicProbe.read(bootstrap(), deadLetterTopic,
                records -> records.stream().anyMatch(r -> garbageKey.equals(r.key()))
                        && records.stream().anyMatch(r -> early.visitId().toString().equals(r.key())),
                Duration.ofSeconds(15));
        given().get("/api/v1/admin/dead-letters").then().statusCode(200)
                .body("find { it.topic == 'bhv.visits.v1' }.deadLetterTopic", org.hamcrest.Matchers.equalTo(deadLetterTopic))
                .body("find { it.topic == 'bhv.visits.v1' }.waiting", org.hamcrest.Matchers.greaterThanOrEqualTo(2));

        // the cause fixed: the centre registered; the replay books the visit, the garbage goes back with its reason
        putCentre(centre, "VARIABLE", "1.10", null);
        var replay = given().post("/api/v1/admin/dead-letters/replay?topic=" + Topics.VISITS).then().statusCode(200)
                .extract().jsonPath();
        assertTrue(replay.getInt("processed") >= 1, replay.prettify());
        assertTrue(replay.getInt("deadLetteredAgain") >= 1, replay.prettify());
        assertEquals(replay.getInt("read"), replay.getInt("processed") + replay.getInt("deadLetteredAgain"));
        List<Map<String, Object>> lines = awaitLines(early, 1);
        assertEquals(1, lines.size());
        assertEquals("JOINT_VISIT", lines.get(0).get("kind"));
        long garbageAgain = TopicProbe.read(bootstrap(), deadLetterTopic,
                records -> records.stream().filter(r -> garbageKey.equals(r.key())).count() == 2,
                Duration.ofSeconds(15)).stream().filter(r -> garbageKey.equals(r.key())).count();
        assertEquals(2, garbageAgain, "what still fails is dead-lettered again, once");

        // a second replay reads only what came back, and books nothing twice
        var second = given().post("/api/v1/admin/dead-letters/replay?topic=" + Topics.VISITS).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0, second.getInt("processed"), second.prettify());
        assertEquals(1, awaitLines(early, 1).size(), "booked exactly once");
        given().post("/api/v1/admin/dead-letters/replay?topic=bhv.unknown.v1").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestInfrastructure.get().tokens().mint("ekonom-dlq", List.of("finance"),
                        null)).post("/api/v1/admin/dead-letters/replay?topic=" + Topics.VISITS)
                .then().statusCode(403);
    }

    @Test
    void aCorrectionAddingZv509BooksAReversalAndTheJointVisitAndARetractionReversesIt() {
        VisitData first = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_2, true, null);
        publish(recorded(first));
        assertEquals("1800.00", awaitLines(first, 1).get(0).get("amount"));

        VisitData corrected = revision(TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_2, true, "ZV509"), first, 2);
        publish(EventCodec.envelope(EventType.VISIT_CORRECTED, "/visit-service", first.visitId().toString(),
                Instant.now(), corrected));
        List<Map<String, Object>> lines = awaitLines(first, 3);
        assertEquals(List.of("ORDINARY_VISIT", "ADJUSTMENT", "JOINT_VISIT"), lines.stream().map(l -> l.get("kind")).toList());
        assertEquals(List.of("1800.00", "-1800.00", "2500.00"), lines.stream().map(l -> l.get("amount")).toList());
        assertEquals(lines.get(0).get("lineId"), lines.get(1).get("correctsLineId"));

        // an older revision arriving late changes nothing
        publish(recorded(first));
        publish(EventCodec.envelope(EventType.VISIT_RETRACTED, "/visit-service", first.visitId().toString(),
                Instant.now(), new VisitRetractedData(first.visitId(), 3, VARIABLE_CENTRE, "registered in error")));
        lines = awaitLines(first, 4);
        assertEquals(4, lines.size());
        assertEquals("-2500.00", lines.get(3).get("amount"));
        assertEquals(0, lines.stream().mapToLong(l -> new BigDecimal((String) l.get("amount")).movePointRight(2)
                .longValueExact()).sum(), "a retracted visit nets to zero");
    }

    @Test
    void aCorrectionThatMovesTheVisitToAnotherCentreReversesTheMoneyOnTheOldCentre() {
        String other = "SE2321000164-E000000000904";
        putCentre(other, "VARIABLE", "1.00", null);
        VisitData first = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_2, true, "ZV509");
        publish(recorded(first));
        awaitLines(first, 1);
        VisitData moved = TestVisits.visit(other, ProgramSlot.MONTH_2, true, "ZV509");
        VisitData corrected = new VisitData(first.visitId(), 2, first.sourceSystem(), first.sourceVisitId(), other,
                first.childPseudonym(), first.childBirthDate(), first.visitDate(), moved.programSlot(), false,
                moved.participants(), moved.kvaCodes(), moved.referrals(), false, moved.riskFactors());
        publish(EventCodec.envelope(EventType.VISIT_CORRECTED, "/visit-service", first.visitId().toString(),
                Instant.now(), corrected));
        List<Map<String, Object>> lines = awaitLines(first, 3);
        assertEquals(List.of(VARIABLE_CENTRE, VARIABLE_CENTRE, other), lines.stream().map(l -> l.get("centreId")).toList());
        assertEquals(List.of("2500.00", "-2500.00", "2500.00"), lines.stream().map(l -> l.get("amount")).toList());
    }

    @Test
    void aRetractionThatArrivesBeforeTheVisitMeansTheVisitIsNeverBooked() {
        VisitData visit = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_2, true, "ZV509");
        publish(EventCodec.envelope(EventType.VISIT_RETRACTED, "/visit-service", visit.visitId().toString(),
                Instant.now(), new VisitRetractedData(visit.visitId(), 2, VARIABLE_CENTRE, "registered in error")));
        publish(recorded(visit));
        VisitData after = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_2, false, null);
        publish(recorded(after)); // same partition order is not guaranteed across visits: wait for both
        awaitLines(after, 1);
        assertEquals(0, awaitLines(visit, 0).size());
    }

    @Test
    void aLineForAClosedMonthIsPaidInTheFirstOpenMonthAsAnAdjustmentAndTheClosedStatementNeverChanges() {
        String centre = "SE2321000164-E000000000906";
        putCentre(centre, "VARIABLE", "1.00", null);
        VisitData january = on(TestVisits.visit(centre, ProgramSlot.MONTH_2, true, "ZV509"), LocalDate.of(2026, 1, 20));
        publish(recorded(january));
        assertEquals("2026-01", awaitLines(january, 1).get(0).get("period"));

        given().post("/api/v1/periods/2026-01/close").then().statusCode(200)
                .body("period", org.hamcrest.Matchers.equalTo("2026-01")).body("status", org.hamcrest.Matchers.equalTo("CLOSED"));
        given().post("/api/v1/periods/2026-01/close").then().statusCode(200);
        given().post("/api/v1/periods/2026-02/close").then().statusCode(200);
        given().post("/api/v1/periods/" + java.time.YearMonth.now().plusMonths(1) + "/close").then().statusCode(400)
                .contentType("application/problem+json");
        given().post("/api/v1/periods/2026-13/close").then().statusCode(400);
        given().get("/api/v1/periods").then().statusCode(200)
                .body("period", org.hamcrest.Matchers.hasItems("2026-01", "2026-02"));

        // the EHR removes ZV509 from the January visit: the reversal and the new price are paid in March
        VisitData corrected = revision(on(TestVisits.visit(centre, ProgramSlot.MONTH_2, true, null), january.visitDate()),
                january, 2);
        publish(EventCodec.envelope(EventType.VISIT_CORRECTED, "/visit-service", january.visitId().toString(),
                Instant.now(), corrected));
        List<Map<String, Object>> lines = awaitLines(january, 3);
        assertEquals(List.of("2026-01", "2026-03", "2026-03"), lines.stream().map(l -> l.get("period")).toList());
        assertEquals(List.of("2026-01", "2026-01", "2026-01"), lines.stream().map(l -> l.get("forPeriod")).toList());
        assertEquals(List.of("JOINT_VISIT", "ADJUSTMENT", "ADJUSTMENT"), lines.stream().map(l -> l.get("kind")).toList());
        assertEquals(List.of("2500.00", "-2500.00", "1800.00"), lines.stream().map(l -> l.get("amount")).toList());
        assertEquals(lines.get(0).get("lineId"), lines.get(1).get("correctsLineId"), "the reversal points at the line");
        assertTrue(((String) lines.get(2).get("reason")).startsWith("for the closed period 2026-01 (ORDINARY_VISIT)"));

        // a visit of February registered late is paid in March too
        VisitData february = on(TestVisits.visit(centre, ProgramSlot.MONTH_2, false, null), LocalDate.of(2026, 2, 10));
        publish(recorded(february));
        Map<String, Object> late = awaitLines(february, 1).get(0);
        assertEquals("2026-03", late.get("period"));
        assertEquals("2026-02", late.get("forPeriod"));

        given().get("/api/v1/payouts/" + centre + "/2026-01").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("CLOSED"))
                .body("lineCount", org.hamcrest.Matchers.equalTo(1))
                .body("amounts.total", org.hamcrest.Matchers.equalTo("2500.00"));
        given().get("/api/v1/payouts/" + centre + "/2026-03").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("OPEN"))
                .body("amounts.adjustments", org.hamcrest.Matchers.equalTo("1100.00"))
                .body("amounts.total", org.hamcrest.Matchers.equalTo("1100.00"));
        for (String month : List.of("2026-01", "2026-02")) {
            given().queryParam("period", month).get("/api/v1/reconciliation").then().statusCode(200)
                    .body("differenceCount", org.hamcrest.Matchers.equalTo(0));
        }
    }

    private static VisitData on(VisitData v, LocalDate date) {
        return new VisitData(v.visitId(), v.revision(), v.sourceSystem(), v.sourceVisitId(), v.centreId(),
                v.childPseudonym(), v.childBirthDate(), date, v.programSlot(), v.programSlotInferred(), v.participants(),
                v.kvaCodes(), v.referrals(), v.interpreterUsed(), v.riskFactors());
    }

    @Test
    void reconciliationListsNoDifferenceAndCountsTheCentresVisits() {
        String centre = "SE2321000164-E000000000905";
        putCentre(centre, "VARIABLE", "1.00", null);
        VisitData joint = TestVisits.visit(centre, ProgramSlot.MONTH_2, true, "ZV509");
        VisitData ordinary = TestVisits.visit(centre, ProgramSlot.MONTH_4, false, null);
        VisitData retracted = TestVisits.visit(centre, ProgramSlot.MONTH_8, false, null);
        for (VisitData v : List.of(joint, ordinary, retracted)) {
            publish(recorded(v));
        }
        publish(EventCodec.envelope(EventType.VISIT_RETRACTED, "/visit-service", retracted.visitId().toString(),
                Instant.now(), new VisitRetractedData(retracted.visitId(), 2, centre, "registered in error")));
        awaitLines(retracted, 2);
        awaitLines(joint, 1);
        awaitLines(ordinary, 1);

        given().queryParam("period", "2026-03").get("/api/v1/reconciliation").then().statusCode(200)
                .body("period", org.hamcrest.Matchers.equalTo("2026-03"))
                .body("differenceCount", org.hamcrest.Matchers.equalTo(0))
                .body("centres.find { it.centreId == '" + centre + "' }.visitsSeen", org.hamcrest.Matchers.equalTo(3))
                .body("centres.find { it.centreId == '" + centre + "' }.visitsRetracted", org.hamcrest.Matchers.equalTo(1))
                .body("centres.find { it.centreId == '" + centre + "' }.visitsBooked", org.hamcrest.Matchers.equalTo(2))
                .body("centres.find { it.centreId == '" + centre + "' }.bookedAmount", org.hamcrest.Matchers.equalTo("4300.00"));
        given().get("/api/v1/reconciliation").then().statusCode(400)
                .contentType("application/problem+json");

        // the figures reach /q/metrics (refreshed every second in tests), with kinds as the only labels
        long deadline = System.currentTimeMillis() + 10_000;
        String metrics = "";
        while (System.currentTimeMillis() < deadline && !metrics.contains("bhv_payout_lines_booked{kind=\"JOINT_VISIT\"}")) {
            metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            sleep(200);
        }
        assertTrue(metrics.contains("bhv_payout_lines_booked{kind=\"JOINT_VISIT\"}"), metrics);
        assertTrue(metrics.contains("bhv_payout_amount_booked_sek{kind=\"ADJUSTMENT\"}"), metrics);
        assertTrue(metrics.contains("bhv_payout_unpublished_lines"), metrics);
        assertTrue(metrics.contains("bhv_reconciliation_differences{period=\"current\"}"), metrics);

        // the totals are added up from the lines booked since the last read: they still count every line once
        String kind = "JOINT_VISIT";
        long inDatabase = -1;
        double inMetrics = -2;
        deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline && inMetrics != inDatabase) {
            inDatabase = pool.preparedQuery("SELECT count(*) FROM payout_line WHERE kind = $1")
                    .execute(Tuple.of(kind)).await().atMost(Duration.ofSeconds(10))
                    .iterator().next().getLong(0);
            inMetrics = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                    .filter(l -> l.startsWith("bhv_payout_lines_booked{kind=\"" + kind + "\"}"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                    .orElse(-3);
            sleep(300);
        }
        assertTrue(inDatabase > 0, "lines were booked");
        assertEquals(inDatabase, inMetrics, 0.0, "bhv_payout_lines_booked counts each line once");
    }

    private static VisitData revision(VisitData content, VisitData of, int revision) {
        return new VisitData(of.visitId(), revision, of.sourceSystem(), of.sourceVisitId(), of.centreId(),
                of.childPseudonym(), of.childBirthDate(), of.visitDate(), content.programSlot(), false,
                content.participants(), content.kvaCodes(), content.referrals(), false, content.riskFactors());
    }

    @Test
    void aMonthsStatementSumsTheCentresLinesByKindExactly() {
        String centre = "SE2321000164-E000000000903";
        putCentre(centre, "VARIABLE", "1.00", null);
        VisitData joint = TestVisits.visit(centre, ProgramSlot.MONTH_2, true, "ZV509");
        VisitData ordinary = TestVisits.visit(centre, ProgramSlot.MONTH_4, false, null);
        VisitData corrected = TestVisits.visit(centre, ProgramSlot.MONTH_8, true, null);
        for (VisitData v : List.of(joint, ordinary, corrected)) {
            publish(recorded(v));
        }
        publish(EventCodec.envelope(EventType.VISIT_CORRECTED, "/visit-service", corrected.visitId().toString(),
                Instant.now(), revision(TestVisits.visit(centre, ProgramSlot.MONTH_8, true, "ZV509"), corrected, 2)));
        awaitLines(corrected, 3);

        given().get("/api/v1/payouts/" + centre + "/2026-03").then().statusCode(200)
                .body("centreId", org.hamcrest.Matchers.equalTo(centre))
                .body("status", org.hamcrest.Matchers.equalTo("OPEN"))
                .body("lineCount", org.hamcrest.Matchers.equalTo(5))
                .body("amounts.jointVisits", org.hamcrest.Matchers.equalTo("5000.00"))
                .body("amounts.ordinaryVisits", org.hamcrest.Matchers.equalTo("3600.00"))
                .body("amounts.fixed", org.hamcrest.Matchers.equalTo("0.00"))
                .body("amounts.adjustments", org.hamcrest.Matchers.equalTo("-1800.00"))
                .body("amounts.total", org.hamcrest.Matchers.equalTo("6800.00"))
                .body("lines.size()", org.hamcrest.Matchers.equalTo(5));
        given().queryParam("period", "2026-03").get("/api/v1/payouts").then().statusCode(200)
                .body("find { it.centreId == '" + centre + "' }.amounts.total", org.hamcrest.Matchers.equalTo("6800.00"));
        given().get("/api/v1/payouts/" + centre + "/2026-04").then().statusCode(200)
                .body("lineCount", org.hamcrest.Matchers.equalTo(0)).body("amounts.total", org.hamcrest.Matchers.equalTo("0.00"));
        // the statement list has one statement per known centre, zeros included
        given().queryParam("period", "2026-04").get("/api/v1/payouts").then().statusCode(200)
                .body("find { it.centreId == '" + centre + "' }.lineCount", org.hamcrest.Matchers.equalTo(0))
                .body("find { it.centreId == '" + centre + "' }.amounts.total", org.hamcrest.Matchers.equalTo("0.00"));
        // a page at a time, the next page named in a Link header; bounds are a problem, not a 500
        given().queryParam("period", "2026-04").queryParam("size", 1).get("/api/v1/payouts").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(1))
                .header("Link", org.hamcrest.Matchers.containsString("page=1&size=1>; rel=\"next\""));
        given().queryParam("period", "2026-04").queryParam("page", 100_000).queryParam("size", 1).get("/api/v1/payouts")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
        given().queryParam("period", "2026-04").queryParam("page", Integer.MAX_VALUE).get("/api/v1/payouts")
                .then().statusCode(400).contentType("application/problem+json");
        given().queryParam("period", "2026-04").queryParam("size", 501).get("/api/v1/payouts").then().statusCode(400);
        given().get("/api/v1/payouts/SE2321000164-E000000000404/2026-03").then().statusCode(404);
        given().queryParam("period", "2026-13").get("/api/v1/payouts").then().statusCode(400);
    }

    @Test
    void theFeedPagesWithACursorThatNeverRepeatsALine() {
        for (int i = 0; i < 3; i++) {
            publish(recorded(TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_8, false, null)));
        }
        VisitData last = TestVisits.visit(VARIABLE_CENTRE, ProgramSlot.MONTH_8, false, null);
        publish(recorded(last));
        awaitLines(last, 1);

        List<Object> seen = new java.util.ArrayList<>();
        String cursor = "";
        while (true) {
            var page = given().queryParam("after", cursor).queryParam("limit", 2).get("/api/v1/payout-lines")
                    .then().statusCode(200).extract().jsonPath();
            List<Object> ids = page.getList("lines.lineId");
            if (ids.isEmpty()) {
                assertEquals(cursor, page.getString("nextCursor"), "an empty page keeps the cursor");
                break;
            }
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
        }
        assertEquals(seen.size(), seen.stream().distinct().count(), "no line twice");
        given().queryParam("after", "abc").get("/api/v1/payout-lines").then().statusCode(400);
        given().queryParam("limit", 0).get("/api/v1/payout-lines").then().statusCode(400);
    }

    public static List<Map<String, Object>> awaitLines(VisitData visit, int expected) {
        long deadline = System.currentTimeMillis() + (expected == 0 ? 2000 : 15000);
        List<Map<String, Object>> lines = List.of();
        while (System.currentTimeMillis() < deadline) {
            lines = feed().stream().filter(l -> visit.visitId().toString().equals(l.get("visitId"))).toList();
            if (expected > 0 && lines.size() >= expected) {
                // wait a little longer: a duplicate would show up now
                sleep(500);
                return feed().stream().filter(l -> visit.visitId().toString().equals(l.get("visitId"))).toList();
            }
            sleep(100);
        }
        return lines;
    }

    /** The whole finance feed, read page by page from the start as finance reads it. */
    public static List<Map<String, Object>> feed() {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        String cursor = null;
        while (true) {
            var spec = given().queryParam("limit", 500);
            if (cursor != null) {
                spec = spec.queryParam("after", cursor);
            }
            io.restassured.path.json.JsonPath page = spec.get("/api/v1/payout-lines").then().statusCode(200)
                    .extract().jsonPath();
            List<Map<String, Object>> lines = page.getList("lines");
            if (lines.isEmpty()) {
                return all;
            }
            all.addAll(lines);
            cursor = page.getString("nextCursor");
        }
    }

    private static String bootstrap() {
        return TestInfrastructure.get().kafka().bootstrapServers();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
