package se.regionorebrolan.bhv.compensation.domain;

import java.time.YearMonth;
import java.util.Set;

/**
 * Where a line is paid. A line is paid in the month it is for, unless finance has closed that month: then it is an
 * {@code ADJUSTMENT} in the first open month after it, and says which month it is for. Pure.
 */
public final class Periods {

    private Periods() {
    }

    /** Where and as what a line is paid. */
    public record Placement(String period, String forPeriod, String kind, String reason) {
    }

    /** The first month from {@code month} on that is not closed. */
    public static YearMonth firstOpen(YearMonth month, Set<String> closed) {
        YearMonth open = month;
        while (closed.contains(open.toString())) {
            open = open.plusMonths(1);
        }
        return open;
    }

    /** A line of {@code kind} for {@code forMonth}: paid in it if open, else an adjustment in the first open month. */
    public static Placement place(YearMonth forMonth, String kind, String reason, Set<String> closed) {
        YearMonth paid = firstOpen(forMonth, closed);
        if (paid.equals(forMonth)) {
            return new Placement(forMonth.toString(), forMonth.toString(), kind, reason);
        }
        return new Placement(paid.toString(), forMonth.toString(), PricedLine.LineKind.ADJUSTMENT.name(),
                "for the closed period " + forMonth + " (" + kind + "): " + reason);
    }
}
