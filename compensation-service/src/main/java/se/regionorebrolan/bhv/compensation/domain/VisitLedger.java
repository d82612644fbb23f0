package se.regionorebrolan.bhv.compensation.domain;



import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.compensation.domain.CompensationModel;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The booking of visit events, in memory and without I/O: given what is known of the events' visits (what was seen,
 * the lines booked) and the reference data, it applies events in their order and collects what to write. An event
 * that cannot be booked throws, and leaves the ledger as it was. The booking service loads one ledger per batch of
 * events and writes what it collected in one transaction: booking one event is a batch of one.
 */
public final class VisitLedger {

    private static final Logger LOG = Logger.getLogger(VisitLedger.class);

    /** A visit as last seen: its latest revision and whether it was retracted. Centre and date null only for a
     *  retraction that came before the visit. */
    public record Seen(UUID visitId, String centreId, LocalDate visitDate, int revision, boolean retracted) {
    }

    /** A rule set as pricing needs it. */
    public record Rules(LocalDate validFrom, Rates rates) {
    }

    private final Map<UUID, Seen> seen;
    private final Map<UUID, List<PayoutLine>> lines;
    private final Map<String, CentreHistory> centres;
    private final List<Rules> ruleSets;
    private final Set<String> closed;
    private final List<PayoutLine> newLines = new ArrayList<>();
    private final Map<UUID, Seen> newSeen = new LinkedHashMap<>();
    private long nextId = -1;

    /** {@code lines}: the lines booked so far for the visits concerned, each list in booking order. */
    public VisitLedger(Map<UUID, Seen> seen, Map<UUID, List<PayoutLine>> lines, Map<String, CentreHistory> centres,
                       List<Rules> ruleSets, Set<String> closed) {
        this.seen = new HashMap<>(seen);
        this.lines = new HashMap<>();
        lines.forEach((visit, booked) -> this.lines.put(visit, new ArrayList<>(booked)));
        this.centres = centres;
        this.ruleSets = ruleSets.stream().sorted(Comparator.comparing(Rules::validFrom).reversed()).toList();
        this.closed = closed;
    }

    /** The lines to write, in booking order; ids negative, to be replaced by ids drawn in the same order. */
    public List<PayoutLine> newLines() {
        return newLines;
    }

    /** The visits whose seen state changed: their latest state each. */
    public List<Seen> newSeen() {
        return List.copyOf(newSeen.values());
    }

    /**
     * Books one event, with its data read by {@link #data}. Throws {@link InvalidEventException} for an event that breaks the contract and
     * {@link UnbookableEventException} for one that cannot be booked (unknown centre, no rule set); the ledger is
     * then unchanged.
     */
    public void apply(CloudEvent event, Object data, String traceParent) {
        UUID eventId = eventId(event);
        if (data instanceof VisitData visit) {
            book(eventId, visit, traceParent);
        } else if (data instanceof VisitRetractedData retracted) {
            retract(eventId, retracted, traceParent);
        } else {
            throw new UnbookableEventException(event.type() + " does not belong on the visit topic");
        }
    }

    /** The event's data as its type says: {@link VisitData} or {@link VisitRetractedData}; null for other types. */
    public static Object data(CloudEvent event) {
        return switch (event.eventType()) {
            case VISIT_RECORDED, VISIT_CORRECTED -> EventCodec.data(event, VisitData.class);
            case VISIT_RETRACTED -> EventCodec.data(event, VisitRetractedData.class);
            case PAYOUT_LINE_BOOKED, CENTRE_UPDATED -> null;
        };
    }

    /** A new visit, or a new revision of one: priced by the rule set valid on its visit date. */
    private void book(UUID eventId, VisitData visit, String traceParent) {
        if (visit.visitId() == null || visit.centreId() == null || visit.visitDate() == null || visit.revision() < 1) {
            throw new InvalidEventException("event " + eventId + " lacks visitId, revision, centreId or visitDate");
        }
        Seen known = seen.get(visit.visitId());
        if (known != null && known.revision() >= visit.revision()) {
            LOG.infof("visit %s revision %d is not newer than revision %d; event %s books nothing",
                    visit.visitId(), visit.revision(), known.revision(), eventId);
            return;
        }
        CentreHistory centre = centres.get(visit.centreId());
        if (centre == null) {
            throw new UnbookableEventException("unknown centre " + visit.centreId());
        }
        // the model in force on the visit date, never the registry as it is today (DOMAIN.md rule 2)
        CompensationModel model = centre.modelOn(visit.visitDate());
        Rates rates = ruleSets.stream().filter(r -> !r.validFrom().isAfter(visit.visitDate())).findFirst()
                .map(Rules::rates)
                .orElseThrow(() -> new UnbookableEventException("no rule set is valid on the visit date " + visit.visitDate()));
        PricedLine priced = PayoutPricing.price(visit, model, rates);
        List<PayoutLine> booked = lines.getOrDefault(visit.visitId(), List.of());
        write(rebook(booked, priced, visit), booked, visit.visitId(), visit.revision(), visit.centreId(),
                visit.visitDate(), visit.childPseudonym(), eventId, traceParent);
        see(new Seen(visit.visitId(), visit.centreId(), visit.visitDate(), visit.revision(), false));
    }

    /** A visit registered in error: whatever stands for it is reversed. Before the visit itself: remembered. */
    private void retract(UUID eventId, VisitRetractedData retracted, String traceParent) {
        if (retracted.visitId() == null) {
            throw new InvalidEventException("event " + eventId + " lacks visitId");
        }
        Seen known = seen.get(retracted.visitId());
        if (known != null && known.revision() >= retracted.revision()) {
            return;
        }
        List<PayoutLine> booked = lines.getOrDefault(retracted.visitId(), List.of());
        if (!booked.isEmpty()) {
            PayoutLine last = booked.get(booked.size() - 1);
            write(Rebooking.rebook(priced(booked), null, "retracted (revision " + retracted.revision() + ")"), booked,
                    retracted.visitId(), retracted.revision(), last.centreId(), last.visitDate(), last.childPseudonym(),
                    eventId, traceParent);
        }
        see(new Seen(retracted.visitId(), known != null ? known.centreId() : retracted.centreId(),
                known != null ? known.visitDate() : null, retracted.revision(), true));
    }

    /**
     * What a new revision books. When it moves the visit to another centre or month, what stands is reversed where
     * it stands and the new price is booked in full, even if it is the same amount.
     */
    private static List<PricedLine> rebook(List<PayoutLine> booked, PricedLine priced, VisitData visit) {
        String why = "correction to revision " + visit.revision();
        PayoutLine standing = standing(booked);
        if (standing == null || (standing.centreId().equals(visit.centreId())
                && YearMonth.from(standing.visitDate()).equals(YearMonth.from(visit.visitDate())))) {
            return Rebooking.rebook(priced(booked), priced, why);
        }
        List<PricedLine> lines = new ArrayList<>(Rebooking.rebook(priced(booked), null,
                why + ", which moves the visit to another centre or month"));
        lines.add(priced);
        return lines;
    }

    /** The last line that reverses nothing: the one whose money stands for the visit (unless reversed since). */
    private static PayoutLine standing(List<PayoutLine> booked) {
        return booked.stream().filter(l -> l.correctsLineId() == null).reduce((first, second) -> second).orElse(null);
    }

    /**
     * The lines as priced: a line booked late into an open month (an adjustment that corrects nothing) is the visit
     * line it stands for, so that a correction that changes nothing priced books nothing for it either.
     */
    private static List<PricedLine> priced(List<PayoutLine> booked) {
        return booked.stream().map(l -> new PricedLine(PricedLine.LineKind.valueOf(
                        l.correctsLineId() == null ? l.moneyKind() : l.kind()), l.amountOre(),
                PricedLine.FundingSource.valueOf(l.fundingSource()), l.ruleSetId(), l.reason(),
                l.flags().isEmpty() ? Set.of() : Arrays.stream(l.flags().split(",")).map(PricedLine.Flag::valueOf)
                        .collect(Collectors.toSet()))).toList();
    }

    /**
     * Turns priced lines into lines of the visit. A reversal is booked where the money it reverses stands (that
     * centre, that month); a line for a closed month is paid in the first open one.
     */
    private void write(List<PricedLine> priced, List<PayoutLine> booked, UUID visitId, int revision, String centreId,
                       LocalDate visitDate, String childPseudonym, UUID eventId, String traceParent) {
        Long corrects = booked.isEmpty() ? null : booked.get(booked.size() - 1).lineId();
        PayoutLine standing = standing(booked);
        List<PayoutLine> added = new ArrayList<>();
        for (PricedLine p : priced) {
            boolean reversal = p.kind() == PricedLine.LineKind.ADJUSTMENT && standing != null;
            YearMonth forMonth = reversal ? YearMonth.parse(standing.forPeriod()) : YearMonth.from(visitDate);
            Periods.Placement placed = Periods.place(forMonth, p.kind().name(), p.reason(), closed);
            added.add(new PayoutLine(nextId--, reversal ? standing.centreId() : centreId, placed.period(), placed.forPeriod(),
                    placed.kind(), p.amountOre(), p.fundingSource().name(), p.ruleSetId(), placed.reason(),
                    p.flags().stream().map(Enum::name).sorted().collect(Collectors.joining(",")), visitId, revision,
                    reversal ? standing.visitDate() : visitDate, childPseudonym,
                    p.kind() == PricedLine.LineKind.ADJUSTMENT ? corrects : null, eventId, traceParent,
                    adjustedKind(placed.kind(), p), null));
        }
        lines.computeIfAbsent(visitId, v -> new ArrayList<>()).addAll(added);
        newLines.addAll(added);
    }

    /** For an adjustment, the kind of money it adjusts: a late line its own kind, a reversal its funding's kind. */
    static String adjustedKind(String kind, PricedLine p) {
        if (!PricedLine.LineKind.ADJUSTMENT.name().equals(kind)) {
            return null;
        }
        if (p.kind() != PricedLine.LineKind.ADJUSTMENT) {
            return p.kind().name();
        }
        return (p.fundingSource() == PricedLine.FundingSource.STATE_GRANT ? PricedLine.LineKind.JOINT_VISIT
                : PricedLine.LineKind.ORDINARY_VISIT).name();
    }

    private void see(Seen state) {
        seen.put(state.visitId(), state);
        newSeen.put(state.visitId(), state);
    }

    public static UUID eventId(CloudEvent event) {
        try {
            return UUID.fromString(event.id());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventException("event id is not a UUID");
        }
    }
}
