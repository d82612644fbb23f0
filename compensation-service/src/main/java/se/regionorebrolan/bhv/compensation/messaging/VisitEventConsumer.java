package se.regionorebrolan.bhv.compensation.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import se.regionorebrolan.bhv.compensation.service.BookingService;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.Topics;

import java.time.Duration;

/**
 * Consumes {@code bhv.visits.v1}. The offset is committed only after the booking transaction committed. A record
 * that breaks the contract or cannot be booked goes to {@code bhv.visits.v1.dlq} with its reason, at once; other
 * failures (the database away for a moment) are retried first.
 */
@ApplicationScoped
public class VisitEventConsumer {

    private final BookingService booking;
    private final MeterRegistry registry;

    public VisitEventConsumer(BookingService booking, MeterRegistry registry) {
        this.booking = booking;
        this.registry = registry;
    }

    @Incoming("visit-events")
    public Uni<Void> consume(Message<String> record) {
        String traceParent = traceParent(record);
        return Uni.createFrom().item(() -> EventCodec.read(record.getPayload()))
                .chain(event -> booking.book(event, traceParent))
                .onFailure(failure -> !(failure instanceof InvalidEventException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5)
                .onItemOrFailure().transformToUni((ok, failure) -> {
                    if (failure == null) {
                        return Uni.createFrom().completionStage(record.ack());
                    }
                    // nack: the failure strategy sends the record to the dead-letter topic with the reason
                    registry.counter("bhv.dead.letters", "topic", Topics.VISITS_DLQ).increment();
                    return Uni.createFrom().completionStage(record.nack(failure));
                });
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
