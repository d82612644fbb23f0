package se.regionorebrolan.bhv.compensation.rest;

import com.fasterxml.jackson.annotation.JsonFormat;
import se.regionorebrolan.bhv.compensation.domain.RuleSet;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation;
import se.regionorebrolan.bhv.compensation.domain.Money;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A rule set as the API shows and takes it; money as two-decimal SEK strings; weighting optional (default). */
public record RuleSetView(String ruleSetId, LocalDate validFrom,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal jointVisit,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal ordinaryVisit,
                          String requiredKvaCode, BigDecimal cniThreshold, String source,
                          FixedCompensation.Weighting fixedWeighting) {

    static RuleSetView of(RuleSet r) {
        return new RuleSetView(r.ruleSetId(), r.validFrom(), Money.sek(r.jointVisitOre()),
                Money.sek(r.ordinaryVisitOre()), r.requiredKvaCode(), r.cniThreshold(), r.source(), r.fixedWeighting());
    }
}
