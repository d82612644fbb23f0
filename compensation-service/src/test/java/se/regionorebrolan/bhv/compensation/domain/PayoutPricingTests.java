package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.compensation.domain.Rates;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import se.regionorebrolan.bhv.compensation.TestVisits;
import se.regionorebrolan.bhv.compensation.domain.CompensationModel;
import se.regionorebrolan.bhv.compensation.domain.PricedLine.Flag;
import se.regionorebrolan.bhv.events.ProgramSlot;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every rule and interpretation of DOMAIN.md's payout rules, as a table. */
class PayoutPricingTests {

    static final Rates R1 = new Rates("R1", 250_000, 180_000, "ZV509");

    @ParameterizedTest(name = "{0} centre, slot {1}, social services {2}, codes [{3}] -> {4} {5} {6} {7}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // model        | slot     | soc.serv | codes        | kind           | öre    | funding     | flags
            "VARIABLE       | MONTH_2  | true     | ZV509        | JOINT_VISIT    | 250000 | STATE_GRANT | -",
            // rule 1: also inside the ordinary programme
            "VARIABLE       | WEEK_1_2 | true     | ZV509        | JOINT_VISIT    | 250000 | STATE_GRANT | -",
            "VARIABLE       | MONTH_8  | true     | ZV509 DV200  | JOINT_VISIT    | 250000 | STATE_GRANT | -",
            // rule 3: without social services, the ordinary rate from the ordinary budget
            "VARIABLE       | MONTH_4  | false    | -            | ORDINARY_VISIT | 180000 | ORDINARY    | -",
            // rule 3: social services named but ZV509 missing: ordinary rate, flagged
            "VARIABLE       | MONTH_12 | true     | -            | ORDINARY_VISIT | 180000 | ORDINARY    | ZV509_MISSING",
            "VARIABLE       | MONTH_12 | true     | DV200        | ORDINARY_VISIT | 180000 | ORDINARY    | ZV509_MISSING",
            // our interpretation: ZV509 without a social-services participant is not a joint visit
            "VARIABLE       | MONTH_15 | false    | ZV509        | ORDINARY_VISIT | 180000 | ORDINARY    | SOCIAL_SERVICES_PARTICIPANT_MISSING",
            // rule 2: fixed-model centres get the ordinary rate for every visit, even joint ones
            "FIXED_EXTENDED | MONTH_2  | true     | ZV509        | ORDINARY_VISIT | 180000 | ORDINARY    | -",
            "FIXED_EXTENDED | WEEK_1_2 | false    | -            | ORDINARY_VISIT | 180000 | ORDINARY    | -",
            // ... and must still code ZV509 on joint visits
            "FIXED_EXTENDED | MONTH_4  | true     | -            | ORDINARY_VISIT | 180000 | ORDINARY    | ZV509_MISSING",
    })
    void pricesEveryCase(CompensationModel model, ProgramSlot slot, boolean socialServices, String codes,
                         String kind, long ore, String funding, String flags) {
        PricedLine line = PayoutPricing.price(TestVisits.visit(slot, socialServices, codes), model, R1);
        assertEquals(kind, line.kind().name());
        assertEquals(ore, line.amountOre());
        assertEquals(funding, line.fundingSource().name());
        assertEquals("R1", line.ruleSetId());
        Set<Flag> expected = flags == null ? EnumSet.noneOf(Flag.class)
                : Arrays.stream(flags.split(" ")).map(Flag::valueOf).collect(Collectors.toSet());
        assertEquals(expected, line.flags());
    }

    @ParameterizedTest
    @CsvSource({"R2, 300000, 200000, JOINT_VISIT, 300000", "R2, 300000, 200000, ORDINARY_VISIT, 200000"})
    void takesTheAmountsFromTheRuleSetItIsGiven(String id, long joint, long ordinary, String kind, long expected) {
        Rates rates = new Rates(id, joint, ordinary, "ZV509");
        PricedLine line = PayoutPricing.price(TestVisits.visit(ProgramSlot.MONTH_2, kind.equals("JOINT_VISIT"),
                kind.equals("JOINT_VISIT") ? "ZV509" : null), CompensationModel.VARIABLE, rates);
        assertEquals(expected, line.amountOre());
        assertEquals(id, line.ruleSetId());
    }
}
