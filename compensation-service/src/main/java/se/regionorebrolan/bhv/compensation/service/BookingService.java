package se.regionorebrolan.bhv.compensation.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.compensation.model.Centre;
import se.regionorebrolan.bhv.compensation.model.PayoutLine;
import se.regionorebrolan.bhv.compensation.model.ProcessedEvent;
import se.regionorebrolan.bhv.compensation.model.RuleSet;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.VisitData;

import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Books the payout lines of visit events, exactly once in effect: the lines and the record of the processed event
 * are one transaction, and a redelivered event id changes nothing.
 */
@ApplicationScoped
public class BookingService {

    private static final Logger LOG = Logger.getLogger(BookingService.class);
    /**
     * Every booking transaction holds this advisory lock, so line ids are assigned and committed in one order
     * and the finance feed's cursor can never pass a line that commits later.
     */
    private static final long FEED_LOCK = 0x46454544L;

    @WithTransaction
    public Uni<Void> book(CloudEvent event) {
        UUID eventId = eventId(event);
        return lockFeed()
                .chain(() -> ProcessedEvent.<ProcessedEvent>findById(eventId))
                .chain(seen -> seen != null
                        ? Uni.createFrom().voidItem()
                        : apply(event).chain(() -> processed(eventId, event).persist()).replaceWithVoid());
    }

    /** Runs every query of the booking path once, changing nothing: the first real event is then fast. */
    @WithTransaction
    public Uni<Void> warmUp() {
        UUID none = new UUID(0, 0);
        return lockFeed()
                .chain(() -> ProcessedEvent.findById(none))
                .chain(() -> PayoutLine.count("visitId", none))
                .chain(() -> Centre.findById(""))
                .chain(() -> RuleSet.validOn(java.time.LocalDate.now()))
                .replaceWithVoid();
    }

    private Uni<Void> apply(CloudEvent event) {
        return switch (event.eventType()) {
            case VISIT_RECORDED -> bookVisit(event, EventCodec.data(event, VisitData.class));
            default -> Uni.createFrom().failure(new UnbookableEventException(
                    event.type() + " is not booked by this version of compensation-service"));
        };
    }

    private Uni<Void> bookVisit(CloudEvent event, VisitData visit) {
        if (visit.visitId() == null || visit.centreId() == null || visit.visitDate() == null) {
            throw new InvalidEventException("event " + event.id() + " lacks visitId, centreId or visitDate");
        }
        return PayoutLine.count("visitId", visit.visitId()).chain(booked -> {
            if (booked > 0) {
                // the same visit under another event id: it is paid once
                LOG.warnf("visit %s already has payout lines; event %s books nothing", visit.visitId(), event.id());
                return Uni.createFrom().voidItem();
            }
            return Centre.<Centre>findById(visit.centreId()).chain(centre -> {
                if (centre == null) {
                    throw new UnbookableEventException("unknown centre " + visit.centreId());
                }
                return RuleSet.validOn(visit.visitDate()).chain(ruleSet -> {
                    if (ruleSet == null) {
                        throw new UnbookableEventException("no rule set is valid on the visit date " + visit.visitDate());
                    }
                    PricedLine priced = PayoutPricing.price(visit, centre.compensationModel, Rates.of(ruleSet));
                    return line(priced, visit, event).persist().replaceWithVoid();
                });
            });
        });
    }

    private static PayoutLine line(PricedLine priced, VisitData visit, CloudEvent event) {
        PayoutLine line = new PayoutLine();
        line.centreId = visit.centreId();
        line.period = YearMonth.from(visit.visitDate()).toString();
        line.kind = priced.kind().name();
        line.amountOre = priced.amountOre();
        line.fundingSource = priced.fundingSource().name();
        line.ruleSetId = priced.ruleSetId();
        line.reason = priced.reason();
        line.flags = priced.flags().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        line.visitId = visit.visitId();
        line.visitRevision = visit.revision();
        line.visitDate = visit.visitDate();
        line.childPseudonym = visit.childPseudonym();
        line.sourceEventId = UUID.fromString(event.id());
        line.bookedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return line;
    }

    private static ProcessedEvent processed(UUID eventId, CloudEvent event) {
        ProcessedEvent processed = new ProcessedEvent();
        processed.eventId = eventId;
        processed.eventType = event.type();
        processed.processedAt = Instant.now();
        return processed;
    }

    private static UUID eventId(CloudEvent event) {
        try {
            return UUID.fromString(event.id());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("event id is not a UUID");
        }
    }

    private static Uni<Void> lockFeed() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(" + FEED_LOCK + ")")
                        .getSingleResult())
                .replaceWithVoid();
    }
}
