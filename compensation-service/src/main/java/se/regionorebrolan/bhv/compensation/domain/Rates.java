package se.regionorebrolan.bhv.compensation.domain;

/** The per-visit part of a rule set, as the pricing function needs it. Amounts in öre. */
public record Rates(String ruleSetId, long jointVisitOre, long ordinaryVisitOre, String requiredKvaCode) {
}
