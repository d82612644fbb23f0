package se.regionorebrolan.bhv.compensation.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** One effective-dated set of payout rules, like a tariff version. Never changed once a period used it. */
public record RuleSet(String ruleSetId, LocalDate validFrom, long jointVisitOre, long ordinaryVisitOre,
                      String requiredKvaCode, BigDecimal cniThreshold, String source,
                      FixedCompensation.Weighting fixedWeighting, Instant createdAt) {

    /** The per-visit part, as pricing needs it. */
    public Rates rates() {
        return new Rates(ruleSetId, jointVisitOre, ordinaryVisitOre, requiredKvaCode);
    }
}
