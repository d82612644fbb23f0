package se.regionorebrolan.bhv.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The data of {@code PayoutLineBooked}: one immutable payout line. Money is a two-decimal SEK string. {@code period} is
 * the month it is paid in, {@code forPeriod} the month the money is for (visit month or fixed month); for an
 * {@code ADJUSTMENT}, {@code adjustedKind} is the kind of money it adjusts. Both added in the second round: a record
 * without them is for its period and adjusts visit money.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PayoutLineBookedData(
        long lineId,
        String centreId,
        String period,
        String forPeriod,
        String kind,
        String adjustedKind,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
        String fundingSource,
        String ruleSet,
        String reason,
        UUID visitId,
        LocalDate visitDate,
        String childPseudonym,
        Instant bookedAt) {
}
