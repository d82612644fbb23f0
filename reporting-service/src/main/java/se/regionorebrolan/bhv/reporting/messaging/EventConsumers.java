package se.regionorebrolan.bhv.reporting.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.reporting.service.ReadModelProjector;

import java.time.Duration;

/** Feeds both topics into the read models; records that break the contract are dead-lettered with the reason. */
@ApplicationScoped
public class EventConsumers {

    private final ReadModelProjector projector;
    private final MeterRegistry registry;

    public EventConsumers(ReadModelProjector projector, MeterRegistry registry) {
        this.projector = projector;
        this.registry = registry;
    }

    @Incoming("visit-events")
    public Uni<Void> visits(String record) {
        return project(record, Topics.VISITS_DLQ);
    }

    @Incoming("payout-events")
    public Uni<Void> payouts(String record) {
        return project(record, Topics.PAYOUTS_DLQ);
    }

    private Uni<Void> project(String record, String deadLetterTopic) {
        return Uni.createFrom().item(() -> EventCodec.read(record))
                .chain(projector::apply)
                .onFailure(failure -> !(failure instanceof InvalidEventException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5)
                // what still fails goes to the dead-letter topic (failure-strategy)
                .onFailure().invoke(() -> registry.counter("bhv.dead.letters", "topic", deadLetterTopic).increment());
    }
}
