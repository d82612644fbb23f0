package se.regionorebrolan.bhv.visit.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.kit.DeadLetterHandler;
import se.regionorebrolan.bhv.kit.DeadLetters;
import se.regionorebrolan.bhv.visit.model.KnownCentre;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the local copy of the centre registry from the compacted topic {@code bhv.centres.v1}. A record that breaks
 * the contract goes to {@code bhv.centres.v1.visit-service.dlq}; the database away is waited out (retried with
 * back-off until it is back), never skipped: a skipped centre would refuse that centre's visits.
 */
@ApplicationScoped
public class CentreRegistryConsumer implements DeadLetterHandler {

    private static final Logger LOG = Logger.getLogger(CentreRegistryConsumer.class);

    private final DeadLetters deadLetters;

    public CentreRegistryConsumer(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Incoming("centre-events")
    public Uni<Void> consume(KafkaRecord<String, String> record) {
        return handle(List.of(record.getPayload()))
                .onFailure().invoke(f -> LOG.warnf("storing a centre failed, retrying: %s", f.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30)).indefinitely()
                .chain(reasons -> deadLetters.send(List.of(record), reasons))
                .chain(() -> Uni.createFrom().completionStage(record.ack()));
    }

    @Override
    public String topic() {
        return Topics.CENTRES;
    }

    /** Stores the centres, in one transaction; the reason for each record that breaks the contract, else null. */
    @Override
    public Uni<List<String>> handle(List<String> values) {
        List<String> reasons = new ArrayList<>();
        List<CentreData> centres = new ArrayList<>();
        for (String value : values) {
            try {
                CloudEvent event = EventCodec.read(value);
                if (event.eventType() != EventType.CENTRE_UPDATED) {
                    throw new InvalidEventException(event.type() + " does not belong on the centre topic");
                }
                centres.add(EventCodec.data(event, CentreData.class));
                reasons.add(null);
            } catch (InvalidEventException e) {
                reasons.add(e.getMessage());
            }
        }
        return Panache.withTransaction(() -> store(centres, 0)).replaceWith(reasons);
    }

    private static Uni<Void> store(List<CentreData> centres, int index) {
        if (index == centres.size()) {
            return Uni.createFrom().voidItem();
        }
        CentreData centre = centres.get(index);
        return KnownCentre.<KnownCentre>findById(centre.centreId()).chain(existing -> {
            KnownCentre row = existing != null ? existing : new KnownCentre();
            row.centreId = centre.centreId();
            row.name = centre.name();
            row.updatedAt = Instant.now();
            return row.persist();
        }).chain(() -> store(centres, index + 1));
    }
}
