package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.compensation.model.Centre;
import se.regionorebrolan.bhv.compensation.model.CompensationModel;

import java.math.BigDecimal;
import java.time.LocalDate;

public record CentreView(String centreId, String name, String municipality, CompensationModel compensationModel,
                         BigDecimal childCni, int listedChildren0to5, LocalDate fixedApprovedFrom) {

    static CentreView of(Centre c) {
        return new CentreView(c.centreId, c.name, c.municipality, c.compensationModel, c.childCni,
                c.listedChildren0to5, c.fixedApprovedFrom);
    }
}
