package se.regionorebrolan.bhv.compensation.domain;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Visits seen against lines booked, for the visits of one month. Every visit seen and not retracted must have
 * money standing on its own centre; a retracted one none anywhere; no centre may hold money for a visit that is not
 * its own, and no line may be for a visit never seen. Anything else is a difference, listed with the visit. Pure.
 */
public final class Reconciliation {

    private Reconciliation() {
    }

    /** A visit of the month as last seen. */
    public record SeenVisit(UUID visitId, String centreId, boolean retracted) {
    }

    /** The net of a visit's lines on one centre, in öre. */
    public record BookedNet(UUID visitId, String centreId, long netOre) {
    }

    public enum DifferenceKind { NOT_BOOKED, RETRACTED_BUT_BOOKED, BOOKED_ON_ANOTHER_CENTRE, BOOKED_BUT_NOT_SEEN }

    public record Difference(UUID visitId, DifferenceKind kind,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bookedAmount) {
    }

    /** One centre: what it saw and what it holds for the month's visits. */
    public record CentreResult(String centreId, int visitsSeen, int visitsRetracted, int visitsBooked,
                               @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bookedAmount,
                               List<Difference> differences) {
    }

    public record Result(String period, int differenceCount, List<CentreResult> centres) {
    }

    public static Result reconcile(String period, List<SeenVisit> seen, List<BookedNet> nets) {
        Map<UUID, SeenVisit> byVisit = new HashMap<>();
        seen.forEach(v -> byVisit.put(v.visitId(), v));
        Map<String, Map<UUID, Long>> held = new HashMap<>();
        for (BookedNet net : nets) {
            held.computeIfAbsent(net.centreId(), c -> new HashMap<>()).merge(net.visitId(), net.netOre(), Math::addExact);
        }
        TreeSet<String> centres = new TreeSet<>(held.keySet());
        seen.stream().map(SeenVisit::centreId).filter(c -> c != null).forEach(centres::add);
        Map<String, CentreResult> results = new TreeMap<>();
        int count = 0;
        for (String centre : centres) {
            Map<UUID, Long> holds = held.getOrDefault(centre, Map.of());
            List<Difference> differences = new ArrayList<>();
            int visitsSeen = 0;
            int retracted = 0;
            for (SeenVisit visit : seen) {
                if (!centre.equals(visit.centreId())) {
                    continue;
                }
                visitsSeen++;
                retracted += visit.retracted() ? 1 : 0;
                if (!visit.retracted() && holds.getOrDefault(visit.visitId(), 0L) == 0) {
                    differences.add(new Difference(visit.visitId(), DifferenceKind.NOT_BOOKED, Money.sek(0)));
                }
            }
            int booked = 0;
            long amount = 0;
            for (Map.Entry<UUID, Long> hold : new TreeMap<>(holds).entrySet()) {
                if (hold.getValue() == 0) {
                    continue;
                }
                booked++;
                amount = Math.addExact(amount, hold.getValue());
                SeenVisit visit = byVisit.get(hold.getKey());
                DifferenceKind kind = visit == null ? DifferenceKind.BOOKED_BUT_NOT_SEEN
                        : visit.retracted() ? DifferenceKind.RETRACTED_BUT_BOOKED
                        : !centre.equals(visit.centreId()) ? DifferenceKind.BOOKED_ON_ANOTHER_CENTRE : null;
                if (kind != null) {
                    differences.add(new Difference(hold.getKey(), kind, Money.sek(hold.getValue())));
                }
            }
            count += differences.size();
            results.put(centre, new CentreResult(centre, visitsSeen, retracted, booked, Money.sek(amount),
                    List.copyOf(differences)));
        }
        return new Result(period, count, List.copyOf(results.values()));
    }
}
