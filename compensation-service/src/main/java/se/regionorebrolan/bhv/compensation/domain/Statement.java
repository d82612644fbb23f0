package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.compensation.domain.Money;
import se.regionorebrolan.bhv.compensation.domain.PricedLine;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;

/** One centre's payout statement for one month: its lines summed by kind, exact to the öre. Pure. */
public record Statement(String centreId, String period, String status, int lineCount, Amounts amounts) {

    /** SEK with two decimals, as strings. {@code total} is the sum of the four. */
    public record Amounts(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal jointVisits,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal ordinaryVisits,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal fixed,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal adjustments,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal total) {
    }

    /** A kind's lines of the month added up: their sum in öre and their number. */
    public record KindSum(long amountOre, long lines) {
    }

    /** From the month's lines added up per kind (in SQL); {@code closed}: the month never changes again. */
    public static Statement of(String centreId, String period, boolean closed, java.util.Map<String, KindSum> byKind) {
        long joint = sum(byKind, PricedLine.LineKind.JOINT_VISIT);
        long ordinary = sum(byKind, PricedLine.LineKind.ORDINARY_VISIT);
        long fixed = sum(byKind, PricedLine.LineKind.FIXED_MONTHLY);
        long adjustments = sum(byKind, PricedLine.LineKind.ADJUSTMENT);
        long count = byKind.values().stream().mapToLong(KindSum::lines).sum();
        return new Statement(centreId, period, closed ? "CLOSED" : "OPEN", Math.toIntExact(count),
                new Amounts(Money.sek(joint), Money.sek(ordinary), Money.sek(fixed), Money.sek(adjustments),
                        Money.sek(Math.addExact(Math.addExact(joint, ordinary), Math.addExact(fixed, adjustments)))));
    }

    private static long sum(java.util.Map<String, KindSum> byKind, PricedLine.LineKind kind) {
        KindSum found = byKind.get(kind.name());
        return found == null ? 0 : found.amountOre();
    }
}
