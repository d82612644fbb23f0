package se.regionorebrolan.bhv.compensation.domain;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.FixedCentre;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Share;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Weighting;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixedCompensationTests {

    static final BigDecimal THRESHOLD = new BigDecimal("2.00");
    /** 1 234 567.89 SEK: divides neither by 12 nor by any of the weights. */
    static final long YEARLY = 123_456_789L;
    static final List<CentreHistory> HISTORIES = List.of(
            history("E101", "3.21", 1234, LocalDate.of(2025, 11, 3), null),
            history("E102", "2.57", 987, LocalDate.of(2026, 3, 31), null),
            history("E103", "4.02", 1500, LocalDate.of(2026, 7, 1), null),
            history("E104", "2.01", 333, LocalDate.of(2026, 11, 15), null),
            // not eligible: CNI not above 2, never approved, approval ended before 2026
            history("E105", "2.00", 5000, LocalDate.of(2026, 1, 1), null),
            history("E106", "3.50", 5000, null, null),
            history("E107", "3.50", 5000, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1)));

    static CentreHistory history(String id, String cni, int listed, LocalDate from, LocalDate until) {
        return new CentreHistory(id, from == null ? List.of() : List.of(new CentreHistory.FixedPeriod(from, until, "D-" + id)),
                List.of(new CentreHistory.Figures(LocalDate.of(2020, 1, 1), new BigDecimal(cni), listed)));
    }

    /** The centres as they were in the month. */
    static List<FixedCentre> centres(List<CentreHistory> histories, YearMonth month) {
        return histories.stream().map(h -> FixedCentre.of(h, month)).toList();
    }

    @Test
    void theTwelveMonthlyPartsSumToTheYearlyAmountExactly() {
        long sum = 0;
        for (int m = 1; m <= 12; m++) {
            long part = FixedCompensation.monthlyPart(YEARLY, YearMonth.of(2026, m));
            assertTrue(part == YEARLY / 12 || part == YEARLY / 12 + 1, "parts differ by at most one öre");
            sum += part;
        }
        assertEquals(YEARLY, sum);
        assertEquals(10_288_066L, FixedCompensation.monthlyPart(YEARLY, YearMonth.of(2026, 9)), "123456789 = 12 × 10288065 + 9");
        assertEquals(10_288_065L, FixedCompensation.monthlyPart(YEARLY, YearMonth.of(2026, 10)));
    }

    @Test
    void eachMonthIsSharedByWeightAmongTheCentresApprovedByThenAndTheYearSumsExactly() {
        long year = 0;
        Map<String, Long> perCentre = new HashMap<>();
        for (int m = 1; m <= 12; m++) {
            YearMonth month = YearMonth.of(2026, m);
            List<Share> shares = FixedCompensation.shares(YEARLY, month, centres(HISTORIES, month), THRESHOLD,
                    Weighting.LISTED_CHILDREN_TIMES_CNI);
            List<String> expected = m < 3 ? List.of("E101") : m < 7 ? List.of("E101", "E102")
                    : m < 11 ? List.of("E101", "E102", "E103") : List.of("E101", "E102", "E103", "E104");
            assertEquals(expected, shares.stream().map(Share::centreId).toList(), "eligible in " + month);
            long monthSum = shares.stream().mapToLong(Share::amountOre).sum();
            assertEquals(FixedCompensation.monthlyPart(YEARLY, month), monthSum, "the month's part, exactly: " + month);
            for (Share share : shares) {
                BigDecimal exact = BigDecimal.valueOf(monthSum).multiply(share.weight())
                        .divide(share.totalWeight(), 10, RoundingMode.HALF_EVEN);
                assertTrue(exact.subtract(BigDecimal.valueOf(share.amountOre())).abs().compareTo(BigDecimal.ONE) < 0,
                        "within one öre of the exact quota: " + share);
                perCentre.merge(share.centreId(), share.amountOre(), Long::sum);
            }
            year += monthSum;
        }
        assertEquals(YEARLY, year, "the year's shares sum to the yearly amount, to the öre");
        assertEquals(10_288_066L, FixedCompensation.shares(YEARLY, YearMonth.of(2026, 1), centres(HISTORIES, YearMonth.of(2026, 1)), THRESHOLD,
                Weighting.LISTED_CHILDREN_TIMES_CNI).get(0).amountOre(), "alone in January: the whole part");
        assertTrue(perCentre.get("E101") > perCentre.get("E103"), "approved earlier, paid for more months");
    }

    @Test
    void weightingByCniAloneIsTheOtherSetting() {
        List<Share> shares = FixedCompensation.shares(100_000_00L * 12, YearMonth.of(2026, 12), centres(HISTORIES, YearMonth.of(2026, 12)), THRESHOLD,
                Weighting.CNI);
        // 100 000.00 shared 3.21 : 2.57 : 4.02 : 2.01 (total 11.81)
        assertEquals(List.of(2_718_036L, 2_176_122L, 3_403_895L, 1_701_947L),
                shares.stream().map(Share::amountOre).toList());
        assertEquals(100_000_00L, shares.stream().mapToLong(Share::amountOre).sum());
    }

    @Test
    void largestRemainderGivesTheLeftoverOreToTheLargestFractionsAndTiesToTheFirst() {
        Map<String, BigDecimal> thirds = new LinkedHashMap<>();
        thirds.put("a", BigDecimal.ONE);
        thirds.put("b", BigDecimal.ONE);
        thirds.put("c", BigDecimal.ONE);
        assertEquals(Map.of("a", 34L, "b", 33L, "c", 33L), FixedCompensation.largestRemainder(100, thirds));
        Map<String, BigDecimal> uneven = new LinkedHashMap<>();
        uneven.put("a", new BigDecimal("1"));
        uneven.put("b", new BigDecimal("2"));
        // 10 × 1/3 = 3.33, 10 × 2/3 = 6.67: b has the larger remainder
        assertEquals(Map.of("a", 3L, "b", 7L), FixedCompensation.largestRemainder(10, uneven));
    }

    @Test
    void noEligibleCentreMeansNoShares() {
        assertEquals(List.of(), FixedCompensation.shares(YEARLY, YearMonth.of(2025, 10), centres(HISTORIES, YearMonth.of(2025, 10)), THRESHOLD,
                Weighting.LISTED_CHILDREN_TIMES_CNI));
    }
}
