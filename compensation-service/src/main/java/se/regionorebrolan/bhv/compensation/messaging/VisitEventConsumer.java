package se.regionorebrolan.bhv.compensation.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import se.regionorebrolan.bhv.compensation.service.BookingService;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;

import java.time.Duration;

/**
 * Consumes {@code bhv.visits.v1}. The offset is committed only after the booking transaction committed. A record
 * that breaks the contract or cannot be booked goes to {@code bhv.visits.v1.dlq} with its reason, at once; other
 * failures (the database away for a moment) are retried first.
 */
@ApplicationScoped
public class VisitEventConsumer {

    private final BookingService booking;

    public VisitEventConsumer(BookingService booking) {
        this.booking = booking;
    }

    @Incoming("visit-events")
    public Uni<Void> consume(String record) {
        return Uni.createFrom().item(() -> EventCodec.read(record))
                .chain(booking::book)
                .onFailure(failure -> !(failure instanceof InvalidEventException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5);
    }
}
