package se.regionorebrolan.bhv.compensation.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.compensation.model.Centre;
import se.regionorebrolan.bhv.compensation.model.ClosedPeriod;
import se.regionorebrolan.bhv.compensation.model.PayoutLine;
import se.regionorebrolan.bhv.compensation.model.ProcessedEvent;
import se.regionorebrolan.bhv.compensation.model.RuleSet;
import se.regionorebrolan.bhv.compensation.model.VisitSeen;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
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

    /** {@code traceParent}: the W3C trace context the lines carry on to their events; null when not traced. */
    @WithTransaction
    public Uni<Void> book(CloudEvent event, String traceParent) {
        UUID eventId = eventId(event);
        return lockFeed()
                .chain(() -> ProcessedEvent.<ProcessedEvent>findById(eventId))
                .chain(seen -> seen != null
                        ? Uni.createFrom().voidItem()
                        : apply(event, traceParent).chain(() -> processed(eventId, event).persist()).replaceWithVoid());
    }

    /** Runs every query of the booking path once, changing nothing: the first real event is then fast. */
    @WithTransaction
    public Uni<Void> warmUp() {
        UUID none = new UUID(0, 0);
        return lockFeed()
                .chain(() -> ProcessedEvent.findById(none))
                .chain(() -> linesOf(none))
                .chain(() -> VisitSeen.findById(none))
                .chain(() -> Centre.findById(""))
                .chain(() -> RuleSet.validOn(SwedishCalendar.today()))
                .replaceWithVoid();
    }

    private Uni<Void> apply(CloudEvent event, String traceParent) {
        return switch (event.eventType()) {
            case VISIT_RECORDED, VISIT_CORRECTED ->
                    bookVisit(event, EventCodec.data(event, VisitData.class), traceParent);
            case VISIT_RETRACTED -> retract(event, EventCodec.data(event, VisitRetractedData.class), traceParent);
            case PAYOUT_LINE_BOOKED, CENTRE_UPDATED -> Uni.createFrom().failure(new UnbookableEventException(
                    event.type() + " does not belong on the visit topic"));
        };
    }

    /** A new visit, or a new revision of one: priced by the rule set valid on its visit date. */
    private Uni<Void> bookVisit(CloudEvent event, VisitData visit, String traceParent) {
        if (visit.visitId() == null || visit.centreId() == null || visit.visitDate() == null || visit.revision() < 1) {
            throw new InvalidEventException("event " + event.id() + " lacks visitId, revision, centreId or visitDate");
        }
        return VisitSeen.<VisitSeen>findById(visit.visitId()).chain(seen -> {
            if (seen != null && seen.revision >= visit.revision()) {
                LOG.infof("visit %s revision %d is not newer than revision %d; event %s books nothing",
                        visit.visitId(), visit.revision(), seen.revision, event.id());
                return Uni.createFrom().voidItem();
            }
            return Centre.<Centre>findById(visit.centreId()).chain(centre -> {
                if (centre == null) {
                    throw new UnbookableEventException("unknown centre " + visit.centreId());
                }
                return RuleSet.validOn(visit.visitDate()).map(ruleSet -> {
                    if (ruleSet == null) {
                        throw new UnbookableEventException("no rule set is valid on the visit date " + visit.visitDate());
                    }
                    return PayoutPricing.price(visit, centre.compensationModel, Rates.of(ruleSet));
                });
            }).chain(priced -> linesOf(visit.visitId()).chain(booked -> persist(rebook(booked, priced, visit),
                    booked, visit.visitId(), visit.revision(), visit.centreId(), visit.visitDate(),
                    visit.childPseudonym(), event, traceParent)))
                    .chain(() -> seen(seen, visit.visitId(), visit.centreId(), visit.visitDate(), visit.revision(),
                            false));
        });
    }

    /**
     * What a new revision books. When it moves the visit to another centre or month, what stands is reversed where
     * it stands and the new price is booked in full, even if it is the same amount.
     */
    private static List<PricedLine> rebook(List<PayoutLine> booked, PricedLine priced, VisitData visit) {
        String why = "correction to revision " + visit.revision();
        PayoutLine standing = standing(booked);
        if (standing == null || (standing.centreId.equals(visit.centreId())
                && YearMonth.from(standing.visitDate).equals(YearMonth.from(visit.visitDate())))) {
            return Rebooking.rebook(priced(booked), priced, why);
        }
        List<PricedLine> lines = new ArrayList<>(Rebooking.rebook(priced(booked), null,
                why + ", which moves the visit to another centre or month"));
        lines.add(priced);
        return lines;
    }

    /** The last line that reverses nothing: the one whose money stands for the visit (unless reversed since). */
    private static PayoutLine standing(List<PayoutLine> booked) {
        return booked.stream().filter(l -> l.correctsLineId == null).reduce((first, second) -> second).orElse(null);
    }

    /** A visit registered in error: whatever stands for it is reversed. Before the visit itself: remembered. */
    private Uni<Void> retract(CloudEvent event, VisitRetractedData retracted, String traceParent) {
        if (retracted.visitId() == null) {
            throw new InvalidEventException("event " + event.id() + " lacks visitId");
        }
        return VisitSeen.<VisitSeen>findById(retracted.visitId()).chain(seen -> {
            if (seen != null && seen.revision >= retracted.revision()) {
                return Uni.createFrom().voidItem();
            }
            return linesOf(retracted.visitId()).chain(booked -> {
                if (booked.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                PayoutLine last = booked.get(booked.size() - 1);
                List<PricedLine> lines = Rebooking.rebook(priced(booked), null,
                        "retracted (revision " + retracted.revision() + ")");
                return persist(lines, booked, retracted.visitId(), retracted.revision(), last.centreId,
                        last.visitDate, last.childPseudonym, event, traceParent);
            }).chain(() -> seen(seen, retracted.visitId(),
                    seen != null ? seen.centreId : retracted.centreId(), seen != null ? seen.visitDate : null,
                    retracted.revision(), true));
        });
    }

    /** Records the visit's latest revision, in the booking transaction. */
    private static Uni<Void> seen(VisitSeen known, UUID visitId, String centreId, LocalDate visitDate, int revision,
                                  boolean retracted) {
        VisitSeen seen = known != null ? known : new VisitSeen();
        seen.visitId = visitId;
        seen.centreId = centreId;
        seen.visitDate = visitDate;
        seen.revision = revision;
        seen.retracted = retracted;
        seen.seenAt = Instant.now();
        return known != null ? Uni.createFrom().voidItem() : seen.persist().replaceWithVoid();
    }

    private static Uni<List<PayoutLine>> linesOf(UUID visitId) {
        return PayoutLine.<PayoutLine>list("visitId = ?1 order by lineId", visitId);
    }

    private static List<PricedLine> priced(List<PayoutLine> booked) {
        return booked.stream().map(l -> new PricedLine(PricedLine.LineKind.valueOf(l.kind), l.amountOre,
                PricedLine.FundingSource.valueOf(l.fundingSource), l.ruleSetId, l.reason,
                l.flags.isEmpty() ? Set.of() : Arrays.stream(l.flags.split(",")).map(PricedLine.Flag::valueOf)
                        .collect(Collectors.toSet()))).toList();
    }

    private static Uni<Void> persist(List<PricedLine> lines, List<PayoutLine> booked, UUID visitId, int revision,
                                     String centreId, LocalDate visitDate, String childPseudonym, CloudEvent event,
                                     String traceParent) {
        Long corrects = booked.isEmpty() ? null : booked.get(booked.size() - 1).lineId;
        // what is reversed is the money of the line that stands: on its centre and in its month, even when the
        // correction moves the visit to another centre or month
        PayoutLine standing = standing(booked);
        if (lines.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return ClosedPeriod.all().chain(closed -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (PricedLine priced : lines) {
                boolean reversal = priced.kind() == PricedLine.LineKind.ADJUSTMENT && standing != null;
                PayoutLine line = new PayoutLine();
                line.centreId = reversal ? standing.centreId : centreId;
                line.kind = priced.kind().name();
                line.amountOre = priced.amountOre();
                line.fundingSource = priced.fundingSource().name();
                line.ruleSetId = priced.ruleSetId();
                line.reason = priced.reason();
                line.flags = priced.flags().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
                line.visitId = visitId;
                line.visitRevision = revision;
                line.visitDate = reversal ? standing.visitDate : visitDate;
                line.childPseudonym = childPseudonym;
                line.sourceEventId = UUID.fromString(event.id());
                line.correctsLineId = priced.kind() == PricedLine.LineKind.ADJUSTMENT ? corrects : null;
                line.bookedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                line.traceParent = traceParent;
                Periods.place(line, reversal ? YearMonth.parse(standing.forPeriod) : YearMonth.from(visitDate), closed);
                chain = chain.chain(() -> line.persist()).replaceWithVoid();
            }
            return chain;
        });
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

    static Uni<Void> lockFeed() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(" + FEED_LOCK + ")")
                        .getSingleResult())
                .replaceWithVoid();
    }
}
