package se.regionorebrolan.bhv.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** The data of {@code PayoutLineBooked}: one immutable payout line. Money is a two-decimal SEK string. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PayoutLineBookedData(
        long lineId,
        String centreId,
        String period,
        String kind,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
        String fundingSource,
        String ruleSet,
        String reason,
        UUID visitId,
        LocalDate visitDate,
        String childPseudonym,
        Instant bookedAt) {
}
