package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.compensation.domain.Centre;

import se.regionorebrolan.bhv.compensation.domain.CompensationModel;
import se.regionorebrolan.bhv.compensation.domain.CentreHistory;
import se.regionorebrolan.bhv.compensation.service.CentreService;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A centre as the registry shows it: today's model and approval date (CONTRACT.md) and the model's whole history,
 * {@code modelPeriods} (each {@code to} exclusive, null for open). The single-centre view adds its figures through
 * time and its applications with their decisions.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record CentreView(String centreId, String name, String municipality, CompensationModel compensationModel,
                         BigDecimal childCni, int listedChildren0to5, LocalDate fixedApprovedFrom,
                         List<CentreHistory.ModelPeriod> modelPeriods, List<CentreHistory.Figures> figures,
                         List<Centre.Application> applications) {

    static CentreView of(Centre c) {
        return new CentreView(c.centreId(), c.name(), c.municipality(), c.compensationModel(), c.childCni(),
                c.listedChildren0to5(), c.fixedApprovedFrom(), c.history().modelPeriods(), null, null);
    }

    static CentreView of(Centre c, List<Centre.Application> applications) {
        return new CentreView(c.centreId(), c.name(), c.municipality(), c.compensationModel(), c.childCni(),
                c.listedChildren0to5(), c.fixedApprovedFrom(), c.history().modelPeriods(), c.history().figures(),
                applications);
    }
}
