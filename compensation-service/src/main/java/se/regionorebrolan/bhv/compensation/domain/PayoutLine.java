package se.regionorebrolan.bhv.compensation.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A payout line: immutable once booked; a correction is a new line that points at the one it corrects. Money in öre.
 * {@code period} is the month it is paid in, {@code forPeriod} the month it is for (later only when that was
 * closed); {@code flags} comma-separated (e.g. {@code ZV509_MISSING}), empty when none; {@code adjustedKind}, for an
 * adjustment, the kind of money it adjusts. Before it is booked, {@code lineId} is provisional (negative, so that a
 * correction in the same batch can point at it; 0 when nothing does) and {@code bookedAt} is null.
 */
public record PayoutLine(long lineId, String centreId, String period, String forPeriod, String kind, long amountOre,
                         String fundingSource, String ruleSetId, String reason, String flags, UUID visitId,
                         int visitRevision, LocalDate visitDate, String childPseudonym, Long correctsLineId,
                         UUID sourceEventId, String traceParent, String adjustedKind, Instant bookedAt) {

    /** The kind of money the line is: its own kind, or for an adjustment the kind it adjusts. */
    public String moneyKind() {
        return adjustedKind != null ? adjustedKind : kind;
    }

    public List<String> flagList() {
        return flags == null || flags.isEmpty() ? List.of() : Arrays.asList(flags.split(","));
    }

    /** The line as booked: its id, the line it corrects by that line's booked id, and when. */
    public PayoutLine booked(long id, Long corrects, Instant at) {
        return new PayoutLine(id, centreId, period, forPeriod, kind, amountOre, fundingSource, ruleSetId, reason, flags,
                visitId, visitRevision, visitDate, childPseudonym, corrects, sourceEventId, traceParent, adjustedKind,
                at);
    }
}
