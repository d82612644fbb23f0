package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.compensation.domain.PricedLine.FundingSource;
import se.regionorebrolan.bhv.compensation.domain.PricedLine.LineKind;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a correction or retraction books, given the lines a visit already has. Lines are immutable: what stands is
 * reversed by {@code ADJUSTMENT} lines (one per funding source, so the state grant's share stays exact) and the new
 * price is booked in full. A correction that does not change the price books nothing. Pure.
 */
public final class Rebooking {

    private Rebooking() {
    }

    /** {@code booked} in booking order; {@code now} is the new price, or null for a retraction. */
    public static List<PricedLine> rebook(List<PricedLine> booked, PricedLine now, String why) {
        Map<FundingSource, Long> net = new EnumMap<>(FundingSource.class);
        for (PricedLine line : booked) {
            net.merge(line.fundingSource(), line.amountOre(), Long::sum);
        }
        PricedLine standing = standing(booked, net);
        if (now != null && standing != null && samePrice(standing, now)) {
            return List.of();
        }
        List<PricedLine> lines = new ArrayList<>();
        String ruleSet = booked.isEmpty() ? null : booked.get(booked.size() - 1).ruleSetId();
        net.forEach((funding, amount) -> {
            if (amount != 0) {
                lines.add(new PricedLine(LineKind.ADJUSTMENT, -amount, funding, ruleSet,
                        "reverses " + String.format("%d.%02d", amount / 100, Math.abs(amount % 100)) + " " + funding
                                + " booked for the visit: " + why, Set.of()));
            }
        });
        if (now != null) {
            lines.add(now);
        }
        return lines;
    }

    /** The visit line that still stands: the last one, if nothing has reversed it. */
    private static PricedLine standing(List<PricedLine> booked, Map<FundingSource, Long> net) {
        for (int i = booked.size() - 1; i >= 0; i--) {
            PricedLine line = booked.get(i);
            if (line.kind() != LineKind.ADJUSTMENT) {
                long total = net.values().stream().mapToLong(Long::longValue).sum();
                return total == line.amountOre() && net.getOrDefault(line.fundingSource(), 0L) == line.amountOre()
                        ? line : null;
            }
        }
        return null;
    }

    private static boolean samePrice(PricedLine a, PricedLine b) {
        return a.kind() == b.kind() && a.amountOre() == b.amountOre() && a.fundingSource() == b.fundingSource()
                && a.ruleSetId().equals(b.ruleSetId()) && a.flags().equals(b.flags());
    }
}
