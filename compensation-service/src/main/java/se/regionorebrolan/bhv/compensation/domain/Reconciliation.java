package se.regionorebrolan.bhv.compensation.domain;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Visits seen against lines booked, for the visits of one month. Every visit seen and not retracted must have
 * money standing on its own centre; a retracted one none anywhere; no centre may hold money for a visit that is not
 * its own, and no line may be for a visit never seen. Anything else is a difference, listed with the visit. The
 * comparison runs in SQL over the whole month ({@code PayoutLineRepository.reconciliation}); this assembles what it
 * answers. Pure.
 */
public final class Reconciliation {

    /** At most this many differences are listed in one answer; {@code differenceCount} counts them all. */
    public static final int MAX_LISTED = 10_000;

    private Reconciliation() {
    }

    public enum DifferenceKind { NOT_BOOKED, RETRACTED_BUT_BOOKED, BOOKED_ON_ANOTHER_CENTRE, BOOKED_BUT_NOT_SEEN }

    public record Difference(UUID visitId, DifferenceKind kind,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bookedAmount) {
    }

    /** One centre's counts, as SQL added them up. */
    public record CentreCounts(String centreId, int visitsSeen, int visitsRetracted, int visitsBooked, long bookedOre,
                               int differences) {
    }

    /** A difference as SQL found it, on the centre that holds the money (or saw the visit). */
    public record Found(String centreId, UUID visitId, DifferenceKind kind, long bookedOre) {
    }

    /** One centre: what it saw and what it holds for the month's visits. */
    public record CentreResult(String centreId, int visitsSeen, int visitsRetracted, int visitsBooked,
                               @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bookedAmount,
                               List<Difference> differences) {
    }

    /** {@code differencesListed} is less than {@code differenceCount} only when more than {@link #MAX_LISTED}. */
    public record Result(String period, int differenceCount, int differencesListed, List<CentreResult> centres) {
    }

    public static Result of(String period, List<CentreCounts> centres, List<Found> listed) {
        Map<String, List<Difference>> byCentre = new HashMap<>();
        for (Found f : listed) {
            byCentre.computeIfAbsent(f.centreId(), c -> new ArrayList<>())
                    .add(new Difference(f.visitId(), f.kind(), Money.sek(f.bookedOre())));
        }
        int count = 0;
        List<CentreResult> results = new ArrayList<>();
        for (CentreCounts c : centres) {
            count = Math.addExact(count, c.differences());
            results.add(new CentreResult(c.centreId(), c.visitsSeen(), c.visitsRetracted(), c.visitsBooked(),
                    Money.sek(c.bookedOre()), List.copyOf(byCentre.getOrDefault(c.centreId(), List.of()))));
        }
        return new Result(period, count, listed.size(), List.copyOf(results));
    }
}
