package se.regionorebrolan.bhv.reporting.domain;

import se.regionorebrolan.bhv.events.PayoutLineBookedData;

/** How a payout line counts in the reports, also for a line published before the second round. Pure. */
public final class PayoutLines {

    private PayoutLines() {
    }

    /** The month the line's money is for; a line published before the second round: its visit's month or period. */
    public static String forPeriod(PayoutLineBookedData l) {
        if (l.forPeriod() != null) {
            return l.forPeriod();
        }
        return l.visitDate() != null ? java.time.YearMonth.from(l.visitDate()).toString() : l.period();
    }

    /**
     * The kind of money: an adjustment counts as what it adjusts ({@code adjustedKind}; on a line published before
     * the second round, visit money by its funding source, or fixed compensation when it has no visit).
     */
    public static String moneyKind(PayoutLineBookedData l) {
        if (!"ADJUSTMENT".equals(l.kind())) {
            return l.kind();
        }
        if (l.adjustedKind() != null) {
            return l.adjustedKind();
        }
        return l.visitId() == null ? "FIXED_MONTHLY" : "STATE_GRANT".equals(l.fundingSource()) ? "JOINT_VISIT"
                : "ORDINARY_VISIT";
    }
}
