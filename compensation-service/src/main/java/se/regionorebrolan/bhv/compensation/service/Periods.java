package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.model.PayoutLine;

import java.time.YearMonth;
import java.util.Set;

/**
 * Where a line is paid. A line is paid in the month it is for, unless finance has closed that month: then it is an
 * {@code ADJUSTMENT} in the first open month after it, and says which month it is for. Pure.
 */
public final class Periods {

    private Periods() {
    }

    /** The first month from {@code month} on that is not closed. */
    public static YearMonth firstOpen(YearMonth month, Set<String> closed) {
        YearMonth open = month;
        while (closed.contains(open.toString())) {
            open = open.plusMonths(1);
        }
        return open;
    }

    /** Sets the line's {@code forPeriod} and {@code period}, and turns it into an adjustment if its month is closed. */
    public static void place(PayoutLine line, YearMonth forMonth, Set<String> closed) {
        line.forPeriod = forMonth.toString();
        YearMonth paid = firstOpen(forMonth, closed);
        line.period = paid.toString();
        if (!paid.equals(forMonth)) {
            line.reason = "for the closed period " + forMonth + " (" + line.kind + "): " + line.reason;
            line.kind = PricedLine.LineKind.ADJUSTMENT.name();
        }
    }
}
