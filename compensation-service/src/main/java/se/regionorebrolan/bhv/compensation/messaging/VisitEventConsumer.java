package se.regionorebrolan.bhv.compensation.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import se.regionorebrolan.bhv.compensation.service.BookingService;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.kit.ConsumerPolicy;
import se.regionorebrolan.bhv.kit.DeadLetterHandler;
import se.regionorebrolan.bhv.kit.DeadLetters;
import se.regionorebrolan.bhv.kit.RecordOutcome;
import se.regionorebrolan.bhv.kit.TraceContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes {@code bhv.visits.v1} a poll batch at a time: the batch is booked in one transaction, and its offsets
 * are committed only after that. A record that breaks the contract or cannot be booked goes to this group's
 * dead-letter topic {@code bhv.visits.v1.compensation-service.dlq} with its reason ({@link DeadLetters}) and the
 * others are booked; a batch that fails as a whole (the database away, for any length of time) is retried with
 * back-off until it succeeds ({@link ConsumerPolicy}), so nothing is skipped and nothing is dead-lettered for an outage.
 */
@ApplicationScoped
public class VisitEventConsumer implements DeadLetterHandler {

    private final BookingService booking;
    private final ConsumerPolicy policy;

    public VisitEventConsumer(BookingService booking, ConsumerPolicy policy) {
        this.booking = booking;
        this.policy = policy;
    }

    @Override
    public String topic() {
        return Topics.VISITS;
    }

    /**
     * A replay of dead letters: booked exactly as the consumer books (deploy/README.md, "Replay dead letters"); a
     * letter without a value (a tombstone) is refused again.
     */
    @Override
    public Uni<List<RecordOutcome>> handle(List<String> values) {
        return booking.book(values.stream().map(v -> BookingService.Incoming.read(
                v == null ? null : v.getBytes(StandardCharsets.UTF_8), null)).toList());
    }

    @Incoming("visit-events")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        // the records are read in two halves at once, on worker threads: reading JSON is most of a batch's CPU
        int half = records.size() / 2;
        return policy.consume(records, () -> Uni.combine().all()
                .unis(read(records.subList(0, half)), read(records.subList(half, records.size())))
                .with((first, second) -> {
                    List<BookingService.Incoming> events = new ArrayList<>(first);
                    events.addAll(second);
                    return events;
                })
                .chain(booking::book), batch::ack);
    }

    private static Uni<List<BookingService.Incoming>> read(List<KafkaRecord<String, byte[]>> records) {
        return Uni.createFrom().item(() -> {
            List<BookingService.Incoming> events = new ArrayList<>(records.size());
            for (KafkaRecord<String, byte[]> record : records) {
                events.add(BookingService.Incoming.read(record.getPayload(), traceParent(record)));
            }
            return events;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The consumer span's W3C {@code traceparent} (a child of the visit request's), or null when not traced. */
    static String traceParent(Message<?> record) {
        return TracingMetadata.fromMessage(record)
                .map(tracing -> TraceContext.traceParent(tracing.getCurrentContext())).orElse(null);
    }
}
