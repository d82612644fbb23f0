package se.regionorebrolan.bhv.compensation.domain;


import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A centre as the central child-health unit registers it (CONTRACT.md). {@code figuresValidFrom} (optional, ours):
 * the day the child-CNI and listed children apply from; by default the first day of the current month.
 */
public record CentreRequest(String name, String municipality, CompensationModel compensationModel, BigDecimal childCni,
                            Integer listedChildren0to5, LocalDate fixedApprovedFrom, LocalDate figuresValidFrom) {
}
