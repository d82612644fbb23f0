package se.regionorebrolan.bhv.reporting.domain;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The results of a year for a scope (overall, a centre, a municipality), over the non-retracted visits of the year
 * at their latest revision. Children are counted by pseudonym; a child who completed all six slots has a visit in
 * every slot of the programme, counting its visits up to the end of the year at any centre.
 * {@code childrenWithMoreThanTwoJointVisitsInFirst15Months}: children reached in the year who had more than two joint
 * visits within the programme's ages (their first 15 months and the 15-month visit's window), counted over all years
 * (seed 000: "fler hembesök än i det ordinarie programmet ... tillsammans med socialtjänsten under barnets första 15
 * månader").
 */
public record Results(
        long childrenReached,
        long homeVisits,
        long jointVisits,
        Map<String, Long> visitsPerSlot,
        long childrenCompletedAllSlots,
        BigDecimal medianVisitsPerChild,
        Map<String, Long> referrals,
        long visitsWithInterpreter,
        long childrenWithRiskFactor,
        long childrenWithMoreThanTwoVisits,
        long childrenWithReferral,
        long childrenWithMoreThanTwoJointVisitsInFirst15Months) {

    public static final Results NONE = new Results(0, 0, 0, Map.of(), 0, BigDecimal.ZERO.setScale(1), Map.of(), 0, 0,
            0, 0, 0);
}
