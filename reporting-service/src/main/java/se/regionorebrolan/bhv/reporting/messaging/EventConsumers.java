package se.regionorebrolan.bhv.reporting.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.DeadLetter;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.reporting.service.Projector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Feeds the three topics into the read models a poll batch at a time; a batch's offsets are committed only after
 * its transaction. A record that breaks the contract goes to its topic's dead-letter topic with the reason (headers
 * {@code dead-letter-reason}, {@code -topic}, {@code -partition}, {@code -offset}) and the others are projected; a
 * batch that fails as a whole (the database away) is retried until it succeeds, so nothing is skipped.
 */
@ApplicationScoped
public class EventConsumers {

    private static final Logger LOG = Logger.getLogger(EventConsumers.class);

    private final Projector projector;
    private final MeterRegistry registry;
    private final MutinyEmitter<String> deadLetters;

    public EventConsumers(Projector projector, MeterRegistry registry,
                          @Channel("dead-letters") MutinyEmitter<String> deadLetters) {
        this.projector = projector;
        this.registry = registry;
        this.deadLetters = deadLetters;
    }

    @Incoming("visit-events")
    public Uni<Void> visits(KafkaRecordBatch<String, String> batch) {
        return project(batch, EnumSet.of(EventType.VISIT_RECORDED, EventType.VISIT_CORRECTED,
                EventType.VISIT_RETRACTED), Topics.VISITS_DLQ);
    }

    @Incoming("payout-events")
    public Uni<Void> payouts(KafkaRecordBatch<String, String> batch) {
        return project(batch, EnumSet.of(EventType.PAYOUT_LINE_BOOKED), Topics.PAYOUTS_DLQ);
    }

    @Incoming("centre-events")
    public Uni<Void> centres(KafkaRecordBatch<String, String> batch) {
        return project(batch, EnumSet.of(EventType.CENTRE_UPDATED), Topics.CENTRES_DLQ);
    }

    private Uni<Void> project(KafkaRecordBatch<String, String> batch, Set<EventType> belongHere, String deadLetterTopic) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        return Uni.createFrom().item(() -> {
                    List<Projector.Incoming> events = new ArrayList<>(records.size());
                    records.forEach(r -> events.add(Projector.Incoming.read(r.getPayload(), belongHere)));
                    return events;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(projector::project)
                .onFailure().invoke(f -> LOG.warnf("projecting a batch of %d failed, retrying: %s", records.size(), f))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30)).indefinitely()
                .chain(reasons -> deadLetter(records, reasons, deadLetterTopic))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private Uni<Void> deadLetter(List<KafkaRecord<String, String>> records, List<String> reasons, String topic) {
        List<Uni<Void>> sent = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (reasons.get(i) != null) {
                KafkaRecord<String, String> record = records.get(i);
                RecordHeaders headers = new RecordHeaders();
                DeadLetter.headers(reasons.get(i), record.getTopic(), record.getPartition(),
                                record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getOffset()).orElse(null))
                        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
                sent.add(deadLetters.sendMessage(Message.of(record.getPayload()).addMetadata(
                        OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withKey(record.getKey())
                                .withHeaders(headers).build())));
                registry.counter("bhv.dead.letters", "topic", topic).increment();
            }
        }
        return sent.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sent).andFailFast().replaceWithVoid();
    }
}
