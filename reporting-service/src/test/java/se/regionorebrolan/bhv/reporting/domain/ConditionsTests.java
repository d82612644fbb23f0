package se.regionorebrolan.bhv.reporting.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The five conditions' indicators and verdicts, against values worked out by hand from a small year. */
class ConditionsTests {

    private static Conditions.Thresholds.Threshold threshold(String met, String partly) {
        return new Conditions.Thresholds.Threshold() {
            public BigDecimal met() {
                return new BigDecimal(met);
            }

            public BigDecimal partly() {
                return new BigDecimal(partly);
            }
        };
    }

    private static final Conditions.Thresholds THRESHOLDS = new Conditions.Thresholds() {
        public Threshold c1() {
            return threshold("50", "25");
        }

        public Threshold c2() {
            return threshold("50", "25");
        }

        public Threshold c3() {
            return threshold("4", "2");
        }

        public Threshold c4() {
            return threshold("80", "50");
        }

        public Threshold c5() {
            return threshold("30", "10");
        }
    };

    @Test
    void eachIndicatorIsItsShareOrMedianAndTheVerdictFollowsTheThresholds() {
        // 3 children reached, 12 home visits of which 7 joint; 2 children with more than two joint visits in their
        // first 15 months (2/3 = 66.7 %), 1 with a risk factor (33.3 %), median 3.0 visits, none with a referral
        Results year = new Results(3, 12, 7, Map.of(), 0, new BigDecimal("3.0"), Map.of(), 0, 1, 2, 0, 2);
        List<Conditions.Condition> c = Conditions.assess(year, THRESHOLDS);
        assertEquals(List.of(1, 2, 3, 4, 5), c.stream().map(Conditions.Condition::number).toList());
        assertEquals(new BigDecimal("66.7"), c.get(0).value());
        assertEquals(Conditions.Verdict.MET, c.get(0).verdict());
        assertEquals(new BigDecimal("33.3"), c.get(1).value());
        assertEquals(Conditions.Verdict.PARTLY_MET, c.get(1).verdict());
        assertEquals(new BigDecimal("3.0"), c.get(2).value());
        assertEquals(Conditions.Verdict.PARTLY_MET, c.get(2).verdict());
        assertEquals(new BigDecimal("58.3"), c.get(3).value(), "7 of 12 joint: 58.33.., one decimal half up");
        assertEquals(Conditions.Verdict.PARTLY_MET, c.get(3).verdict());
        assertEquals(new BigDecimal("0.0"), c.get(4).value());
        assertEquals(Conditions.Verdict.NOT_MET, c.get(4).verdict());
        assertEquals("Partly met: 58.3 % of home visits with social services taking part (joint visits) (met at 80,"
                + " partly at 50).", c.get(3).explanation());
    }

    @Test
    void aThresholdIsReachedAtExactlyItsValue() {
        // 4 children, 10 visits of which 8 joint; 2 of 4 with more than two joint visits early, median 4.0,
        // 1 of 4 with a referral
        Results year = new Results(4, 10, 8, Map.of(), 0, new BigDecimal("4.0"), Map.of(), 0, 2, 0, 1, 2);
        List<Conditions.Condition> c = Conditions.assess(year, THRESHOLDS);
        assertEquals(Conditions.Verdict.MET, c.get(0).verdict(), "2 of 4 = 50.0 % is met at 50");
        assertEquals(Conditions.Verdict.MET, c.get(2).verdict(), "a median of 4.0 is met at 4");
        assertEquals(Conditions.Verdict.MET, c.get(3).verdict(), "8 of 10 = 80.0 % is met at 80");
        assertEquals(Conditions.Verdict.PARTLY_MET, c.get(4).verdict(), "1 of 4 = 25.0 %: partly met from 10");
    }

    @Test
    void aYearWithoutHomeVisitsMeetsNothing() {
        List<Conditions.Condition> c = Conditions.assess(Results.NONE, THRESHOLDS);
        assertTrue(c.stream().allMatch(x -> x.verdict() == Conditions.Verdict.NOT_MET));
        assertTrue(c.stream().allMatch(x -> x.explanation().equals("Not met: no home visits were recorded in the year.")));
        assertEquals(new BigDecimal("0.0"), c.get(0).value());
    }
}
