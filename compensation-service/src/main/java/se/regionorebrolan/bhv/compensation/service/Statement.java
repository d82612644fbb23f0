package se.regionorebrolan.bhv.compensation.service;

import com.fasterxml.jackson.annotation.JsonFormat;
import se.regionorebrolan.bhv.compensation.model.PayoutLine;

import java.math.BigDecimal;
import java.util.List;

/** One centre's payout statement for one month: its lines summed by kind, exact to the öre. Pure. */
public record Statement(String centreId, String period, String status, int lineCount, Amounts amounts) {

    /** SEK with two decimals, as strings. {@code total} is the sum of the four. */
    public record Amounts(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal jointVisits,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal ordinaryVisits,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal fixed,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal adjustments,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal total) {
    }

    /** {@code closed}: finance has closed the month, and the statement never changes again. */
    public static Statement of(String centreId, String period, boolean closed, List<PayoutLine> lines) {
        long joint = sum(lines, PricedLine.LineKind.JOINT_VISIT);
        long ordinary = sum(lines, PricedLine.LineKind.ORDINARY_VISIT);
        long fixed = sum(lines, PricedLine.LineKind.FIXED_MONTHLY);
        long adjustments = sum(lines, PricedLine.LineKind.ADJUSTMENT);
        return new Statement(centreId, period, closed ? "CLOSED" : "OPEN", lines.size(), new Amounts(Money.sek(joint),
                Money.sek(ordinary), Money.sek(fixed), Money.sek(adjustments),
                Money.sek(Math.addExact(Math.addExact(joint, ordinary), Math.addExact(fixed, adjustments)))));
    }

    private static long sum(List<PayoutLine> lines, PricedLine.LineKind kind) {
        return lines.stream().filter(l -> kind.name().equals(l.kind)).mapToLong(l -> l.amountOre)
                .reduce(0L, Math::addExact);
    }
}
