package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.compensation.domain.FixedCompensation;

import se.regionorebrolan.bhv.compensation.domain.CentreHistory;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Booked;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Delta;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Share;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Weighting;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-splitting booked months: whatever changes who is eligible (approvals back-dated or ended, figures changed), after
 * each settlement every month stands at its part exactly (or at nothing when no centre is eligible), each centre at
 * its share, and every booked line is immutable: changes are new lines only.
 */
class FixedSettlementTests {

    private static final BigDecimal THRESHOLD = new BigDecimal("2.00");
    /** 987 654.31 SEK: 12 does not divide it. */
    private static final long YEARLY = 98_765_431L;

    @Test
    void aBackDatedApprovalReSplitsABookedMonthWithoutPayingMoreThanItsPart() {
        YearMonth march = YearMonth.of(2026, 3);
        CentreHistory vivalla = FixedCompensationTests.history("E101", "3.00", 1000, LocalDate.of(2026, 1, 1), null);
        Map<String, Booked> booked = new TreeMap<>();
        long part = YEARLY / 12 + 1; // March is among the first 98 765 431 mod 12 = 7 months
        book(booked, FixedCompensation.settle(shares(march, List.of(vivalla)), booked));
        assertEquals(Map.of("E101", part), nets(booked), "alone: the whole part");

        // Varberga approved back-dated to 2026-02-15, with the same weight: March is split in two halves
        CentreHistory varberga = FixedCompensationTests.history("E102", "3.00", 1000, LocalDate.of(2026, 2, 15), null);
        List<Delta> deltas = FixedCompensation.settle(shares(march, List.of(vivalla, varberga)), booked);
        assertEquals(2, deltas.size());
        // equal weights: Vivalla keeps the larger half (ties go to the first), Varberga gets the other
        assertEquals(-(part / 2), deltas.get(0).amountOre(), "Vivalla gives back what Varberga gets");
        assertEquals(part / 2, deltas.get(1).amountOre());
        assertEquals(booked.get("E101").lastLineId(), deltas.get(0).correctsLineId(), "an adjustment of what stands");
        assertEquals(null, deltas.get(1).correctsLineId(), "Varberga's first line for March");
        book(booked, deltas);
        assertEquals(part, nets(booked).values().stream().mapToLong(Long::longValue).sum(), "still exactly the part");
        assertEquals(List.of(), FixedCompensation.settle(shares(march, List.of(vivalla, varberga)), booked),
                "settled again: nothing");
    }

    /**
     * The README's example: July 2026 booked for the demo's four centres (part 200 000.00 of 2 400 000.00), then
     * Varberga's approval ended from 1 July. Expected figures worked out by hand with exact fractions: weights 4 930,
     * 2 860, 2 070 and 2 175 (listed children × child-CNI) of 12 035, then 4 930, 2 070, 2 175 of 9 175.
     */
    @Test
    void theReadmeExampleVarbergaEndedFromJuly() {
        YearMonth july = YearMonth.of(2026, 7);
        LocalDate january = LocalDate.of(2026, 1, 1);
        List<CentreHistory> four = List.of(
                FixedCompensationTests.history("101", "3.40", 1450, january, null),
                FixedCompensationTests.history("102", "2.60", 1100, january, null),
                FixedCompensationTests.history("103", "2.30", 900, LocalDate.of(2026, 3, 1), null),
                FixedCompensationTests.history("104", "2.90", 750, january, null));
        Map<String, Booked> booked = new TreeMap<>();
        List<Share> all = FixedCompensation.shares(2_400_000_00L, july, FixedCompensationTests.centres(four, july),
                THRESHOLD, Weighting.LISTED_CHILDREN_TIMES_CNI);
        book(booked, FixedCompensation.settle(all, booked));
        assertEquals(Map.of("101", 8_192_771L, "102", 4_752_804L, "103", 3_439_967L, "104", 3_614_458L), nets(booked));

        List<CentreHistory> ended = new ArrayList<>(four);
        ended.set(1, FixedCompensationTests.history("102", "2.60", 1100, january, july.atDay(1)));
        List<Delta> deltas = FixedCompensation.settle(FixedCompensation.shares(2_400_000_00L, july,
                FixedCompensationTests.centres(ended, july), THRESHOLD, Weighting.LISTED_CHILDREN_TIMES_CNI), booked);
        assertEquals(List.of(2_553_823L, -4_752_804L, 1_072_295L, 1_126_686L),
                deltas.stream().map(Delta::amountOre).toList());
        book(booked, deltas);
        assertEquals(Map.of("101", 10_746_594L, "102", 0L, "103", 4_512_262L, "104", 4_741_144L), nets(booked));
    }

    @Test
    void aMonthWithNoEligibleCentreIsReversedToNothingAndShownAsUnpaid() {
        YearMonth june = YearMonth.of(2026, 6);
        CentreHistory only = FixedCompensationTests.history("E101", "3.00", 1000, LocalDate.of(2026, 1, 1), null);
        Map<String, Booked> booked = new TreeMap<>();
        book(booked, FixedCompensation.settle(shares(june, List.of(only)), booked));
        CentreHistory ended = FixedCompensationTests.history("E101", "3.00", 1000, LocalDate.of(2026, 1, 1),
                LocalDate.of(2026, 6, 1)); // ended back-dated: no day of June on the fixed model
        assertEquals(List.of(), shares(june, List.of(ended)), "no eligible centre: no shares, the part unpaid");
        book(booked, FixedCompensation.settle(shares(june, List.of(ended)), booked));
        assertEquals(Map.of("E101", 0L), nets(booked));
    }

    @Test
    void manyRandomChangesKeepEveryMonthAtItsPartAndTheYearAtItsAmount() {
        Random random = new Random(20261201L);
        int fullyPaidYears = 0;
        for (int round = 0; round < 200; round++) {
            List<CentreHistory> centres = new ArrayList<>();
            Map<YearMonth, Map<String, Booked>> booked = new HashMap<>();
            List<Long> lines = new ArrayList<>();
            for (int change = 0; change < 12; change++) {
                centres = randomChange(random, centres);
                long year = 0;
                for (int m = 1; m <= 12; m++) {
                    YearMonth month = YearMonth.of(2026, m);
                    Map<String, Booked> stands = booked.computeIfAbsent(month, x -> new TreeMap<>());
                    List<Share> target = shares(month, centres);
                    List<Delta> deltas = FixedCompensation.settle(target, stands);
                    deltas.forEach(d -> lines.add(d.amountOre()));
                    book(stands, deltas);
                    long sum = nets(stands).values().stream().mapToLong(Long::longValue).sum();
                    long part = YEARLY / 12 + (m <= YEARLY % 12 ? 1 : 0);
                    assertEquals(target.isEmpty() ? 0 : part, sum, "round " + round + ", " + month);
                    for (Share share : target) {
                        assertEquals(share.amountOre(), nets(stands).get(share.centreId()), "its share: " + share);
                    }
                    nets(stands).forEach((centre, net) -> assertTrue(net >= 0, "never below nothing"));
                    year += sum;
                    assertEquals(List.of(), FixedCompensation.settle(target, stands), "settling again books nothing");
                }
                List<CentreHistory> now = centres;
                boolean everyMonthPaid = java.util.stream.IntStream.rangeClosed(1, 12)
                        .allMatch(m -> !shares(YearMonth.of(2026, m), now).isEmpty());
                if (everyMonthPaid) {
                    assertEquals(YEARLY, year, "every month paid: the year is its amount, to the öre");
                    fullyPaidYears++;
                }
            }
            assertEquals(lines.stream().mapToLong(Long::longValue).sum(),
                    booked.values().stream().flatMap(b -> b.values().stream()).mapToLong(Booked::netOre).sum(),
                    "what stands is the sum of the lines booked");
        }
        assertTrue(fullyPaidYears > 0, "the seed gives years with every month paid: the year's sum is checked");
    }

    /** Adds, ends or back-dates an approval, or changes a centre's figures from a random month. */
    private static List<CentreHistory> randomChange(Random random, List<CentreHistory> centres) {
        List<CentreHistory> next = new ArrayList<>(centres);
        int kind = centres.isEmpty() ? 0 : random.nextInt(3);
        if (kind == 0) {
            String id = "E" + (100 + next.size());
            LocalDate from = LocalDate.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28));
            next.add(new CentreHistory(id, List.of(new CentreHistory.FixedPeriod(from, null, "D")),
                    List.of(figures(random, LocalDate.of(2020, 1, 1)))));
        } else {
            int i = random.nextInt(next.size());
            CentreHistory c = next.get(i);
            if (kind == 1) {
                CentreHistory.FixedPeriod p = c.fixedPeriods().get(0);
                LocalDate until = p.from().plusDays(1 + random.nextInt(200));
                next.set(i, new CentreHistory(c.centreId(), List.of(new CentreHistory.FixedPeriod(p.from(), until,
                        "D")), c.figures()));
            } else {
                List<CentreHistory.Figures> figures = new ArrayList<>(c.figures());
                LocalDate from = LocalDate.of(2026, 1 + random.nextInt(12), 1);
                figures.removeIf(f -> f.validFrom().equals(from));
                figures.add(figures(random, from));
                next.set(i, new CentreHistory(c.centreId(), c.fixedPeriods(), figures));
            }
        }
        return next;
    }

    private static CentreHistory.Figures figures(Random random, LocalDate from) {
        // mostly above the threshold, sometimes not (the centre then drops out of the month)
        BigDecimal cni = BigDecimal.valueOf(150 + random.nextInt(300), 2);
        return new CentreHistory.Figures(from, cni, random.nextInt(3000));
    }

    private static List<Share> shares(YearMonth month, List<CentreHistory> centres) {
        return FixedCompensation.shares(YEARLY, month, FixedCompensationTests.centres(centres, month), THRESHOLD,
                Weighting.LISTED_CHILDREN_TIMES_CNI);
    }

    private static long nextLine = 1;

    private static void book(Map<String, Booked> booked, List<Delta> deltas) {
        for (Delta d : deltas) {
            Booked before = booked.get(d.centreId());
            if (before == null) {
                assertEquals(null, d.correctsLineId(), "a first line corrects nothing");
            } else {
                assertEquals(before.lastLineId(), d.correctsLineId(), "an adjustment corrects the last line");
            }
            booked.put(d.centreId(), new Booked((before == null ? 0 : before.netOre()) + d.amountOre(), nextLine++));
        }
    }

    private static Map<String, Long> nets(Map<String, Booked> booked) {
        Map<String, Long> nets = new TreeMap<>();
        booked.forEach((c, b) -> nets.put(c, b.netOre()));
        return nets;
    }
}
