package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.compensation.model.CompensationModel;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A centre as the central child-health unit registers it (CONTRACT.md). */
public record CentreRequest(String name, String municipality, CompensationModel compensationModel, BigDecimal childCni,
                            Integer listedChildren0to5, LocalDate fixedApprovedFrom) {
}
