package se.regionorebrolan.bhv.compensation.rest;

import com.fasterxml.jackson.annotation.JsonFormat;
import se.regionorebrolan.bhv.compensation.domain.PayoutLine;
import se.regionorebrolan.bhv.compensation.domain.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One payout line as finance reads it. {@code amount} is SEK with two decimals, as a string; {@code period} the
 * month it is paid in, {@code forPeriod} the month it is for (earlier only when that month was closed);
 * {@code adjustedKind}, for an adjustment, the kind of money it adjusts.
 */
public record PayoutLineView(long lineId, String centreId, String period, String forPeriod, UUID visitId, LocalDate visitDate,
                             String kind, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
                             String fundingSource, String ruleSet, String reason, List<String> flags, Long correctsLineId,
                             Instant bookedAt, String adjustedKind) {

    static PayoutLineView of(PayoutLine l) {
        return new PayoutLineView(l.lineId(), l.centreId(), l.period(), l.forPeriod(), l.visitId(), l.visitDate(),
                l.kind(), Money.sek(l.amountOre()), l.fundingSource(), l.ruleSetId(), l.reason(), l.flagList(),
                l.correctsLineId(), l.bookedAt(), l.adjustedKind());
    }
}
