package se.regionorebrolan.bhv.compensation.domain;

import java.util.Set;

/** What the pricing function decides for one visit: one payout line to book. */
public record PricedLine(LineKind kind, long amountOre, FundingSource fundingSource, String ruleSetId,
                         String reason, Set<Flag> flags) {

    public enum LineKind { JOINT_VISIT, ORDINARY_VISIT, FIXED_MONTHLY, ADJUSTMENT }

    /** Joint-visit money is the state grant's; ordinary money is the region's own budget (DOMAIN.md rule 3). */
    public enum FundingSource { STATE_GRANT, ORDINARY }

    public enum Flag {
        /** Social services took part, but the visit is not coded ZV509. */
        ZV509_MISSING,
        /** Coded ZV509, but no social-services participant is named. */
        SOCIAL_SERVICES_PARTICIPANT_MISSING
    }
}
