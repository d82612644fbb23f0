package se.regionorebrolan.bhv.compensation.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed compensation with extended resource (DOMAIN.md rule 4), pure. The region's yearly amount is paid in twelve
 * monthly parts; each month's part is shared among the centres eligible that month (on the fixed model on a day of
 * it, child-CNI above the threshold) by weight: listed children 0–5 × child-CNI, or child-CNI alone, with the figures
 * in force that month. Both splits round by the largest remainder, so the parts of a year sum to the yearly amount and
 * the centres' shares of a month to its part, exactly to the öre. A centre approved during the year is paid from its
 * approval month. When who is eligible changes for a month already booked, {@link #settle} books the difference, so
 * that what stands for the month is again its part, split as it is now.
 */
public final class FixedCompensation {

    private FixedCompensation() {
    }

    public enum Weighting { LISTED_CHILDREN_TIMES_CNI, CNI }

    /** What the rule needs of a centre in one month. */
    public record FixedCentre(String centreId, boolean fixedModel, BigDecimal childCni, int listedChildren0to5) {

        /** The centre as it was in the month, from its history. */
        public static FixedCentre of(CentreHistory history, YearMonth month) {
            CentreHistory.Figures figures = history.figuresFor(month);
            return new FixedCentre(history.centreId(), history.fixedIn(month) && figures != null,
                    figures == null ? null : figures.childCni(), figures == null ? 0 : figures.listedChildren0to5());
        }
    }

    /** What stands booked of a month's fixed compensation for a centre: the net amount, and its last line's id. */
    public record Booked(long netOre, long lastLineId) {
    }

    /**
     * A line to book so that the centre's net for the month equals its share: its first line for the month
     * ({@code correctsLineId} null), or an adjustment of what stands.
     */
    public record Delta(String centreId, long amountOre, Long correctsLineId, Share share) {
    }

    /** One centre's share of a month. */
    public record Share(String centreId, long amountOre, BigDecimal weight, BigDecimal totalWeight) {
    }

    /** The month's part of the yearly amount: twelve parts, the first {@code yearly % 12} of them one öre more. */
    public static long monthlyPart(long yearlyOre, YearMonth month) {
        return yearlyOre / 12 + (month.getMonthValue() <= yearlyOre % 12 ? 1 : 0);
    }

    /** The shares of the centres eligible in the month, in centre-id order; empty when none is. */
    public static List<Share> shares(long yearlyOre, YearMonth month, List<FixedCentre> centres, BigDecimal cniThreshold,
                                     Weighting weighting) {
        Map<String, BigDecimal> weights = new LinkedHashMap<>();
        centres.stream()
                .filter(c -> c.fixedModel() && c.childCni() != null && c.childCni().compareTo(cniThreshold) > 0)
                .sorted(Comparator.comparing(FixedCentre::centreId))
                .forEach(c -> weights.put(c.centreId(), weighting == Weighting.CNI ? c.childCni()
                        : c.childCni().multiply(BigDecimal.valueOf(c.listedChildren0to5()))));
        BigDecimal total = weights.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (weights.isEmpty() || total.signum() == 0) {
            return List.of();
        }
        Map<String, Long> amounts = largestRemainder(monthlyPart(yearlyOre, month), weights);
        List<Share> shares = new ArrayList<>();
        weights.forEach((id, weight) -> shares.add(new Share(id, amounts.get(id), weight, total)));
        return shares;
    }

    /**
     * The lines that make what stands for the month equal to {@code shares} (from {@link #shares}), in centre-id
     * order. A centre with a share and nothing booked gets its first line; a booked centre whose share differs (or
     * that has none now) gets the difference. With nothing booked and shares as they are, it answers the month's
     * first booking; with all booked as it should be, nothing. The month then sums to its part, or to nothing when no
     * centre is eligible.
     */
    public static List<Delta> settle(List<Share> shares, Map<String, Booked> booked) {
        Map<String, Share> target = new java.util.TreeMap<>();
        shares.forEach(s -> target.put(s.centreId(), s));
        java.util.SortedSet<String> centres = new java.util.TreeSet<>(target.keySet());
        centres.addAll(booked.keySet());
        List<Delta> deltas = new ArrayList<>();
        for (String centre : centres) {
            Share share = target.get(centre);
            Booked stands = booked.get(centre);
            long difference = (share == null ? 0 : share.amountOre()) - (stands == null ? 0 : stands.netOre());
            if (difference != 0) {
                deltas.add(new Delta(centre, difference, stands == null ? null : stands.lastLineId(), share));
            }
        }
        return deltas;
    }

    /**
     * Splits {@code amount} öre in proportion to the weights: everyone gets the floor of the exact quota, and the öre
     * left over go one each to the largest remainders (ties: the earlier key). Exact: no floating point.
     */
    static Map<String, Long> largestRemainder(long amount, Map<String, BigDecimal> weights) {
        BigDecimal total = weights.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, Long> result = new LinkedHashMap<>();
        Map<String, BigDecimal> remainders = new LinkedHashMap<>();
        long given = 0;
        for (Map.Entry<String, BigDecimal> e : weights.entrySet()) {
            BigDecimal exact = BigDecimal.valueOf(amount).multiply(e.getValue());
            // floor(amount × w / W) and its remainder, in exact arithmetic
            BigDecimal[] division = exact.divideAndRemainder(total);
            long floor = division[0].setScale(0, RoundingMode.DOWN).longValueExact();
            result.put(e.getKey(), floor);
            remainders.put(e.getKey(), division[1]);
            given += floor;
        }
        List<String> byRemainder = new ArrayList<>(remainders.keySet());
        byRemainder.sort(Comparator.comparing((String k) -> remainders.get(k)).reversed());
        for (int i = 0; i < amount - given; i++) {
            result.merge(byRemainder.get(i), 1L, Long::sum);
        }
        return result;
    }
}
