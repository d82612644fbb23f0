package se.regionorebrolan.bhv.visit.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.kit.DeadLetterHandler;
import se.regionorebrolan.bhv.kit.ConsumerPolicy;
import se.regionorebrolan.bhv.kit.RecordOutcome;
import se.regionorebrolan.bhv.visit.repository.KnownCentreRepository;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the local copy of the centre registry from the compacted topic {@code bhv.centres.v1}. A record that breaks
 * the contract goes to {@code bhv.centres.v1.visit-service.dlq}; the database away is waited out (retried with
 * back-off until it is back), never skipped: a skipped centre would refuse that centre's visits.
 */
@ApplicationScoped
public class CentreRegistryConsumer implements DeadLetterHandler {

    private final KnownCentreRepository centres;
    private final ConsumerPolicy policy;

    public CentreRegistryConsumer(KnownCentreRepository centres, ConsumerPolicy policy) {
        this.centres = centres;
        this.policy = policy;
    }

    @Incoming("centre-events")
    public Uni<Void> consume(KafkaRecord<String, String> record) {
        return policy.consume(List.of(record), () -> handle(List.of(record.getPayload())), record::ack);
    }

    @Override
    public String topic() {
        return Topics.CENTRES;
    }

    /** Stores the centres, in one statement; refuses each record that breaks the contract. */
    @Override
    public Uni<List<RecordOutcome>> handle(List<String> values) {
        List<RecordOutcome> reasons = new ArrayList<>();
        List<CentreData> centres = new ArrayList<>();
        for (String value : values) {
            try {
                CloudEvent event = EventCodec.read(value);
                if (event.eventType() != EventType.CENTRE_UPDATED) {
                    throw new InvalidEventException(event.type() + " does not belong on the centre topic");
                }
                centres.add(EventCodec.data(event, CentreData.class));
                reasons.add(RecordOutcome.PROCESSED);
            } catch (InvalidEventException e) {
                reasons.add(RecordOutcome.refused(e.getMessage()));
            }
        }
        return this.centres.store(centres).replaceWith(reasons);
    }

}
