package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.messaging.VisitBookingTest;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.EventSchemas;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The centre registry goes out through the outbox: a PUT and a decision each put the centre as it then stands on
 * {@code bhv.centres.v1} (keyed by centre, conforming to the schema), before the answer.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class CentreEventsTest {

    @Test
    void aPutAndADecisionEachPublishTheCentreAsItStands() {
        String centre = "SE2321000164-EVT" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").toUpperCase();
        VisitBookingTest.putCentre(centre, "VARIABLE", "3.10", null);
        List<CentreData> first = published(centre, 1);
        assertEquals("VARIABLE", first.get(0).compensationModel());
        assertEquals(List.of(), first.get(0).fixedPeriods());

        VisitBookingTest.approve(centre, "2026-04-01");
        List<CentreData> events = published(centre, 2);
        CentreData last = events.get(events.size() - 1);
        assertEquals(1, last.fixedPeriods().size(), "the decision's period is on the topic");
        assertEquals(LocalDate.of(2026, 4, 1), last.fixedPeriods().get(0).from());
        assertNull(last.fixedPeriods().get(0).until());
    }

    /** The centre's records on the topic once there are at least {@code count}, oldest first. */
    private static List<CentreData> published(String centre, int count) {
        List<ConsumerRecord<String, String>> records = TopicProbe.read(
                TestInfrastructure.get().kafka().bootstrapServers(), Topics.CENTRES,
                rs -> rs.stream().filter(r -> centre.equals(r.key())).count() >= count, Duration.ofSeconds(20))
                .stream().filter(r -> centre.equals(r.key())).toList();
        records.forEach(r -> assertEquals(List.of(), EventSchemas.violations(r.value())));
        return records.stream().map(r -> EventCodec.data(EventCodec.read(r.value()), CentreData.class)).toList();
    }
}
