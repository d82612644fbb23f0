package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.compensation.domain.Rates;

import se.regionorebrolan.bhv.compensation.domain.CompensationModel;
import se.regionorebrolan.bhv.compensation.domain.PricedLine.Flag;
import se.regionorebrolan.bhv.compensation.domain.PricedLine.FundingSource;
import se.regionorebrolan.bhv.compensation.domain.PricedLine.LineKind;
import se.regionorebrolan.bhv.events.VisitData;

import java.util.EnumSet;
import java.util.Set;

/**
 * The one place that prices a home visit (DOMAIN.md, "Payout rules of Region Örebro län"). Pure: the visit, the
 * centre's compensation model and the rule set valid on the visit date in; the payout line out.
 */
public final class PayoutPricing {

    private PayoutPricing() {
    }

    public static PricedLine price(VisitData visit, CompensationModel model, Rates rates) {
        boolean socialServices = visit.socialServicesTookPart();
        boolean coded = visit.hasKvaCode(rates.requiredKvaCode());
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        if (socialServices && !coded) {
            flags.add(Flag.ZV509_MISSING);
        }
        if (coded && !socialServices) {
            flags.add(Flag.SOCIAL_SERVICES_PARTICIPANT_MISSING);
        }

        if (model == CompensationModel.FIXED_EXTENDED) {
            // Rule 2: fixed-model centres get the ordinary rate for every home visit, joint or not.
            return ordinary(rates, flags, "fixed-model centre: ordinary home-visit rate for every visit (rule 2)");
        }
        if (socialServices && coded) {
            // Rule 1: a joint visit with social services, coded ZV509, also inside the ordinary programme.
            return new PricedLine(LineKind.JOINT_VISIT, rates.jointVisitOre(), FundingSource.STATE_GRANT,
                    rates.ruleSetId(), "joint home visit with social services, coded " + rates.requiredKvaCode()
                    + " (rule 1)", Set.copyOf(flags));
        }
        if (socialServices) {
            return ordinary(rates, flags, "social services took part but the visit lacks " + rates.requiredKvaCode()
                    + ": ordinary rate until a correction adds it (rule 3)");
        }
        if (coded) {
            return ordinary(rates, flags, "coded " + rates.requiredKvaCode()
                    + " but no social-services participant is named: ordinary rate (rule 3)");
        }
        return ordinary(rates, flags, "home visit without social services: ordinary rate (rule 3)");
    }

    private static PricedLine ordinary(Rates rates, Set<Flag> flags, String reason) {
        return new PricedLine(LineKind.ORDINARY_VISIT, rates.ordinaryVisitOre(), FundingSource.ORDINARY,
                rates.ruleSetId(), reason, Set.copyOf(flags));
    }
}
