package se.regionorebrolan.bhv.reporting.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;
import se.regionorebrolan.bhv.reporting.model.ReportPayoutLine;
import se.regionorebrolan.bhv.reporting.model.ReportVisit;

import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Applies events to the read models, idempotently: the effect and the processed event id are one transaction,
 * and a visit keeps only its highest revision (an older one arriving late changes nothing).
 */
@ApplicationScoped
public class ReadModelProjector {

    @WithTransaction
    public Uni<Void> apply(CloudEvent event) {
        UUID eventId;
        try {
            eventId = UUID.fromString(event.id());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("event id is not a UUID");
        }
        // claim the event id first: a second delivery inserts nothing and so projects nothing
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("INSERT INTO processed_event (event_id, event_type, "
                                + "processed_at) VALUES (?1, ?2, now()) ON CONFLICT (event_id) DO NOTHING")
                        .setParameter(1, eventId)
                        .setParameter(2, event.type())
                        .executeUpdate())
                .chain(claimed -> claimed == 1 ? project(event) : Uni.createFrom().voidItem());
    }

    /** Runs the projection's queries once, changing nothing: the first real event is then fast. */
    @WithTransaction
    public Uni<Void> warmUp() {
        UUID none = new UUID(0, 0);
        return ReportVisit.findById(none)
                .chain(() -> ReportPayoutLine.findById(-1L))
                .replaceWithVoid();
    }

    private Uni<Void> project(CloudEvent event) {
        return switch (event.eventType()) {
            case VISIT_RECORDED, VISIT_CORRECTED -> visit(EventCodec.data(event, VisitData.class));
            case VISIT_RETRACTED -> retraction(EventCodec.data(event, VisitRetractedData.class));
            case PAYOUT_LINE_BOOKED -> payoutLine(EventCodec.data(event, PayoutLineBookedData.class));
            case CENTRE_UPDATED -> throw new InvalidEventException(event.type() + " does not belong on this topic");
        };
    }

    private Uni<Void> visit(VisitData visit) {
        if (visit.visitId() == null || visit.visitDate() == null || visit.childPseudonym() == null) {
            throw new InvalidEventException("visit event lacks visitId, visitDate or childPseudonym");
        }
        return ReportVisit.<ReportVisit>findById(visit.visitId()).chain(existing -> {
            if (existing != null && existing.revision >= visit.revision()) {
                return Uni.createFrom().voidItem();
            }
            ReportVisit row = existing != null ? existing : new ReportVisit();
            row.visitId = visit.visitId();
            row.revision = visit.revision();
            row.centreId = visit.centreId();
            row.visitDate = visit.visitDate();
            row.childPseudonym = visit.childPseudonym();
            row.programSlot = visit.programSlot() == null ? "" : visit.programSlot().name();
            row.socialServices = visit.socialServicesTookPart();
            row.interpreterUsed = visit.interpreterUsed();
            row.hasRiskFactor = visit.riskFactors() != null && !visit.riskFactors().isEmpty();
            row.referrals = visit.referrals() == null ? ""
                    : visit.referrals().stream().map(Enum::name).collect(Collectors.joining(","));
            return row.persist().replaceWithVoid();
        });
    }

    private Uni<Void> retraction(VisitRetractedData retracted) {
        return ReportVisit.<ReportVisit>findById(retracted.visitId()).chain(existing -> {
            if (existing == null || existing.revision > retracted.revision()) {
                return Uni.createFrom().voidItem();
            }
            existing.retracted = true;
            existing.revision = retracted.revision();
            return existing.persist().replaceWithVoid();
        });
    }

    private Uni<Void> payoutLine(PayoutLineBookedData booked) {
        return ReportPayoutLine.<ReportPayoutLine>findById(booked.lineId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            ReportPayoutLine line = new ReportPayoutLine();
            line.lineId = booked.lineId();
            line.centreId = booked.centreId();
            line.period = booked.period();
            line.kind = booked.kind();
            line.amountOre = booked.amount().movePointRight(2).longValueExact();
            line.fundingSource = booked.fundingSource();
            line.ruleSet = booked.ruleSet();
            line.visitId = booked.visitId();
            line.visitDate = booked.visitDate();
            line.childPseudonym = booked.childPseudonym();
            return line.persist().replaceWithVoid();
        });
    }
}
