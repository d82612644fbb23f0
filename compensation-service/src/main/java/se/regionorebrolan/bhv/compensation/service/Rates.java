package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.model.RuleSet;

/** The per-visit part of a rule set, as the pricing function needs it. Amounts in öre. */
public record Rates(String ruleSetId, long jointVisitOre, long ordinaryVisitOre, String requiredKvaCode) {

    public static Rates of(RuleSet ruleSet) {
        return new Rates(ruleSet.ruleSetId, ruleSet.jointVisitOre, ruleSet.ordinaryVisitOre, ruleSet.requiredKvaCode);
    }
}
