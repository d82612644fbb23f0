package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Condition 1 is the child's: more than two joint visits during its first 15 months, counted across calendar years
 * (seed 000), and visits to a child older than the programme do not count. Three children reached in the year:
 * G (two joint visits the year before, one in the year: counted), H (three joint visits in the year at three years old:
 * not counted), I (three joint visits in the year as an infant: counted). Counting visits per year would give H and I
 * instead of G and I: the per-centre figures tell the two apart.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class ProgrammeConditionTest {

    private static final int YEAR = 2033;
    private static final String NORTH = "SE2321000164-E0000000" + YEAR + "1";
    private static final String SOUTH = "SE2321000164-E0000000" + YEAR + "2";

    @Test
    void moreThanTwoJointVisitsInTheFirst15MonthsIsCountedPerChildAcrossYears() {
        for (String centre : List.of(NORTH, SOUTH)) {
            TopicProbe.send(bootstrap(), Topics.CENTRES, centre, EventCodec.write(EventCodec.envelope(
                    EventType.CENTRE_UPDATED, "/test", centre, Instant.now(), new CentreData(centre, "VC " + centre,
                            "Örebro", "VARIABLE", new BigDecimal("1.00"), 100, null))));
        }
        LocalDate g = LocalDate.of(YEAR - 1, 3, 1);
        send("G", NORTH, g, LocalDate.of(YEAR - 1, 4, 1));
        send("G", NORTH, g, LocalDate.of(YEAR - 1, 7, 1));
        send("G", NORTH, g, LocalDate.of(YEAR, 2, 1)); // 11 months old
        LocalDate h = LocalDate.of(YEAR - 3, 1, 1);
        for (int month = 1; month <= 3; month++) {
            send("H", SOUTH, h, LocalDate.of(YEAR, month, 10));
        }
        LocalDate i = LocalDate.of(YEAR - 1, 11, 1);
        for (int month = 1; month <= 5; month += 2) {
            send("I", SOUTH, i, LocalDate.of(YEAR, month, 10));
        }

        String report = "/api/v1/reports/socialstyrelsen/" + YEAR;
        SocialstyrelsenReportTest.awaitReport(() -> given().get(report).then().statusCode(200)
                .body("results.overall.homeVisits", equalTo(7)));
        given().get(report).then().statusCode(200)
                .body("results.overall.childrenReached", equalTo(3))
                .body("results.overall.childrenWithMoreThanTwoJointVisitsInFirst15Months", equalTo(2))
                .body("results.perCentre.find { it.centreId == '" + NORTH
                        + "' }.results.childrenWithMoreThanTwoJointVisitsInFirst15Months", equalTo(1))
                .body("results.perCentre.find { it.centreId == '" + SOUTH
                        + "' }.results.childrenWithMoreThanTwoJointVisitsInFirst15Months", equalTo(1))
                .body("conditions[0].value", equalTo(66.7f));
    }

    private static void send(String child, String centre, LocalDate birth, LocalDate date) {
        UUID id = UUID.randomUUID();
        VisitData visit = new VisitData(id, 1, "cosmic", "ENC-" + id, centre, "child-" + child + "-" + YEAR, birth, date,
                null, false, List.of(new Participant(ParticipantRole.BHV_NURSE, "N1", null),
                new Participant(ParticipantRole.SOCIAL_SERVICES, null, "Örebro kommun")), List.of("ZV509"), List.of(),
                false, List.of());
        TopicProbe.send(bootstrap(), Topics.VISITS, id.toString(), EventCodec.write(EventCodec.envelope(
                EventType.VISIT_RECORDED, "/test", id.toString(), Instant.now(), visit)));
    }

    private static String bootstrap() {
        return TestInfrastructure.get().kafka().bootstrapServers();
    }
}
