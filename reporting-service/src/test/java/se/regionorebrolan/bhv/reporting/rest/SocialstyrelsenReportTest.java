package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.events.ProgramSlot;
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
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The report is computed from the events on the real topics, once each, and honours retractions. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class SocialstyrelsenReportTest {

    // a year of its own, so other tests' events do not count here
    private static final int YEAR = 2031;

    @Test
    void countsVisitsJointVisitsChildrenAndStateGrantMoneyOnce() {
        VisitData joint = visit("child-a", true, LocalDate.of(YEAR, 3, 16));
        VisitData ordinary = visit("child-a", false, LocalDate.of(YEAR, 5, 2));
        VisitData other = visit("child-b", true, LocalDate.of(YEAR, 6, 1));
        VisitData retracted = visit("child-c", false, LocalDate.of(YEAR, 7, 1));
        VisitData lastYear = visit("child-d", true, LocalDate.of(YEAR - 1, 12, 31));
        for (VisitData v : List.of(joint, ordinary, other, retracted, lastYear)) {
            send(Topics.VISITS, v.visitId().toString(), event(EventType.VISIT_RECORDED, v.visitId().toString(), v));
        }
        CloudEvent again = event(EventType.VISIT_RECORDED, joint.visitId().toString(), joint);
        send(Topics.VISITS, joint.visitId().toString(), again);
        send(Topics.VISITS, joint.visitId().toString(), again); // a redelivery
        send(Topics.VISITS, retracted.visitId().toString(), event(EventType.VISIT_RETRACTED,
                retracted.visitId().toString(), new VisitRetractedData(retracted.visitId(), 2, "c", "registered in error")));

        long base = System.nanoTime();
        CloudEvent line1 = payout(base, "2500.00", "STATE_GRANT", joint, YEAR + "-03");
        send(Topics.PAYOUTS, "c", line1);
        send(Topics.PAYOUTS, "c", line1); // a redelivery
        send(Topics.PAYOUTS, "c", payout(base + 1, "2500.00", "STATE_GRANT", other, YEAR + "-06"));
        send(Topics.PAYOUTS, "c", payout(base + 2, "1800.00", "ORDINARY", ordinary, YEAR + "-05"));
        send(Topics.PAYOUTS, "c", payout(base + 3, "2500.00", "STATE_GRANT", lastYear, (YEAR - 1) + "-12"));

        awaitReport(() -> given().get("/api/v1/reports/socialstyrelsen/" + YEAR).then().statusCode(200)
                .body("year", equalTo(YEAR))
                .body("results.homeVisits", equalTo(3))
                .body("results.jointVisits", equalTo(2))
                .body("results.childrenReached", equalTo(2))
                .body("grantUse.stateGrantPayouts", equalTo("5000.00"))
                .body("grantUse.stateGrantPayoutLines", equalTo(2))
                .body("deadlines.socialstyrelsenReportDue", equalTo((YEAR + 1) + "-03-31")));
    }

    @Test
    void aMalformedYearIsAProblem() {
        given().get("/api/v1/reports/socialstyrelsen/20x6").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
    }

    private static void awaitReport(Runnable assertion) {
        long deadline = System.currentTimeMillis() + 20_000;
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

    private static VisitData visit(String child, boolean socialServices, LocalDate date) {
        List<Participant> participants = new ArrayList<>(List.of(new Participant(ParticipantRole.BHV_NURSE, "N1", null)));
        if (socialServices) {
            participants.add(new Participant(ParticipantRole.SOCIAL_SERVICES, null, "Örebro kommun"));
        }
        UUID id = UUID.randomUUID();
        return new VisitData(id, 1, "cosmic", "ENC-" + id, "SE2321000164-E000000000001", child + "-" + YEAR,
                date.minusMonths(2), date, ProgramSlot.MONTH_2, false, participants,
                socialServices ? List.of("ZV509") : List.of(), List.of(), false, List.of());
    }

    private static CloudEvent payout(long lineId, String amount, String funding, VisitData visit, String period) {
        PayoutLineBookedData data = new PayoutLineBookedData(lineId, visit.centreId(), period,
                funding.equals("STATE_GRANT") ? "JOINT_VISIT" : "ORDINARY_VISIT", new BigDecimal(amount), funding, "R1",
                "test", visit.visitId(), visit.visitDate(), visit.childPseudonym(), Instant.now());
        return event(EventType.PAYOUT_LINE_BOOKED, Long.toString(lineId), data);
    }

    private static CloudEvent event(EventType type, String subject, Object data) {
        return EventCodec.envelope(type, "/test", subject, Instant.now(), data);
    }

    private static void send(String topic, String key, CloudEvent event) {
        TopicProbe.send(TestInfrastructure.get().kafka().bootstrapServers(), topic, key, EventCodec.write(event));
    }
}
