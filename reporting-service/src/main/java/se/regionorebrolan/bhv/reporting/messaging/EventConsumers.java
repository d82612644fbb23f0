package se.regionorebrolan.bhv.reporting.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.kit.ConsumerPolicy;
import se.regionorebrolan.bhv.kit.DeadLetterHandler;
import se.regionorebrolan.bhv.kit.RecordOutcome;
import se.regionorebrolan.bhv.kit.DeadLetters;
import se.regionorebrolan.bhv.reporting.service.Projector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Feeds the three topics into the read models a poll batch at a time; a batch's offsets are committed only after
 * its transaction. A record that breaks the contract goes to this group's dead-letter topic of its topic
 * ({@code <topic>.reporting-service.dlq}, {@link DeadLetters}) with the reason and the others are projected; a batch
 * that fails as a whole (the database away, for any length of time) is retried with back-off until it succeeds ({@link ConsumerPolicy}), so
 * nothing is skipped and nothing is dead-lettered for an outage.
 */
@ApplicationScoped
public class EventConsumers {

    private static final Set<EventType> VISITS = EnumSet.of(EventType.VISIT_RECORDED, EventType.VISIT_CORRECTED,
            EventType.VISIT_RETRACTED);
    private static final Set<EventType> PAYOUTS = EnumSet.of(EventType.PAYOUT_LINE_BOOKED);
    private static final Set<EventType> CENTRES = EnumSet.of(EventType.CENTRE_UPDATED);

    private final Projector projector;
    private final ConsumerPolicy policy;

    public EventConsumers(Projector projector, ConsumerPolicy policy) {
        this.projector = projector;
        this.policy = policy;
    }

    @Incoming("visit-events")
    public Uni<Void> visits(KafkaRecordBatch<String, byte[]> batch) {
        return project(batch, VISITS);
    }

    @Incoming("payout-events")
    public Uni<Void> payouts(KafkaRecordBatch<String, byte[]> batch) {
        return project(batch, PAYOUTS);
    }

    @Incoming("centre-events")
    public Uni<Void> centres(KafkaRecordBatch<String, byte[]> batch) {
        return project(batch, CENTRES);
    }

    private Uni<Void> project(KafkaRecordBatch<String, byte[]> batch, Set<EventType> belongHere) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        return policy.consume(records, () -> Uni.createFrom().item(() -> {
                    List<Projector.Incoming> events = new ArrayList<>(records.size());
                    records.forEach(r -> events.add(Projector.Incoming.read(r.getPayload(), belongHere)));
                    return events;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(projector::project), batch::ack);
    }

    /**
     * The replay of each topic's dead letters: projected exactly as the consumers project (deploy/README.md,
     * "Replay dead letters").
     */
    @Produces
    @ApplicationScoped
    DeadLetterHandler visitReplay() {
        return handler(Topics.VISITS, VISITS);
    }

    @Produces
    @ApplicationScoped
    DeadLetterHandler payoutReplay() {
        return handler(Topics.PAYOUTS, PAYOUTS);
    }

    @Produces
    @ApplicationScoped
    DeadLetterHandler centreReplay() {
        return handler(Topics.CENTRES, CENTRES);
    }

    private DeadLetterHandler handler(String topic, Set<EventType> belongHere) {
        return new DeadLetterHandler() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public Uni<List<RecordOutcome>> handle(List<String> values) {
                return projector.project(values.stream().map(v -> Projector.Incoming.read(
                        v == null ? null : v.getBytes(StandardCharsets.UTF_8), belongHere)).toList());
            }
        };
    }
}
