package se.regionorebrolan.bhv.compensation.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
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
import se.regionorebrolan.bhv.compensation.service.BookingService;
import se.regionorebrolan.bhv.events.DeadLetter;
import se.regionorebrolan.bhv.events.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes {@code bhv.visits.v1} a poll batch at a time: the batch is booked in one transaction, and its offsets
 * are committed only after that. A record that breaks the contract or cannot be booked goes to
 * {@code bhv.visits.v1.dlq} with its reason (headers {@code dead-letter-reason}, {@code -topic}, {@code -partition},
 * {@code -offset}) and the others are booked; a batch that fails as a whole (the database away) is retried until
 * it succeeds, so nothing is skipped.
 */
@ApplicationScoped
public class VisitEventConsumer {

    private static final Logger LOG = Logger.getLogger(VisitEventConsumer.class);

    private final BookingService booking;
    private final MeterRegistry registry;
    private final MutinyEmitter<String> deadLetters;

    public VisitEventConsumer(BookingService booking, MeterRegistry registry,
                              @Channel("visit-dead-letters") MutinyEmitter<String> deadLetters) {
        this.booking = booking;
        this.registry = registry;
        this.deadLetters = deadLetters;
    }

    @Incoming("visit-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        // the records are read in two halves at once, on worker threads: reading JSON is most of a batch's CPU
        int half = records.size() / 2;
        return Uni.combine().all().unis(read(records.subList(0, half)), read(records.subList(half, records.size())))
                .with((first, second) -> {
                    List<BookingService.Incoming> events = new ArrayList<>(first);
                    events.addAll(second);
                    return events;
                })
                .chain(booking::book)
                .onFailure().invoke(f -> LOG.warnf("booking a batch of %d failed, retrying: %s", records.size(), f))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30)).indefinitely()
                .chain(reasons -> deadLetter(records, reasons))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private static Uni<List<BookingService.Incoming>> read(List<KafkaRecord<String, String>> records) {
        return Uni.createFrom().item(() -> {
            List<BookingService.Incoming> events = new ArrayList<>(records.size());
            for (KafkaRecord<String, String> record : records) {
                events.add(BookingService.Incoming.read(record.getPayload(), traceParent(record)));
            }
            return events;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<Void> deadLetter(List<KafkaRecord<String, String>> records, List<String> reasons) {
        List<Uni<Void>> sent = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (reasons.get(i) != null) {
                KafkaRecord<String, String> record = records.get(i);
                RecordHeaders headers = new RecordHeaders();
                DeadLetter.headers(reasons.get(i), record.getTopic(), record.getPartition(),
                                record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getOffset()).orElse(null))
                        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
                sent.add(deadLetters.sendMessage(Message.of(record.getPayload()).addMetadata(
                        OutgoingKafkaRecordMetadata.<String>builder().withKey(record.getKey()).withHeaders(headers).build())));
                registry.counter("bhv.dead.letters", "topic", Topics.VISITS_DLQ).increment();
            }
        }
        return sent.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sent).andFailFast().replaceWithVoid();
    }

    /** The consumer span's W3C {@code traceparent} (a child of the visit request's), or null when not traced. */
    static String traceParent(Message<?> record) {
        SpanContext span = TracingMetadata.fromMessage(record)
                .map(tracing -> Span.fromContext(tracing.getCurrentContext()).getSpanContext())
                .orElse(SpanContext.getInvalid());
        return span.isValid()
                ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex()
                : null;
    }
}
