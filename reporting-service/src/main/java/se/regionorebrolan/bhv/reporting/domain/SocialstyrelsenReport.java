package se.regionorebrolan.bhv.reporting.domain;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The återrapportering to Socialstyrelsen for one grant year (DOMAIN.md, "Report back by March 2027"): how the
 * grant was used, the results, how they relate to the five conditions, and the deadlines. Money is SEK with two
 * decimals, as a string.
 */
public record SocialstyrelsenReport(int year, Deadlines deadlines, GrantUse grantUse, ResultsSection results,
                                    List<Conditions.Condition> conditions) {

    /** The report is due by the end of March the year after; fixed-model centres report by the end of January. */
    public record Deadlines(LocalDate socialstyrelsenReportDue, LocalDate regionalReportDue) {
        public static Deadlines of(int year) {
            return new Deadlines(LocalDate.of(year + 1, 3, 31), LocalDate.of(year + 1, 1, 31));
        }
    }

    /**
     * How the grant was used: spent = the state-grant payout lines for the year (its visits and fixed months, wherever
     * they were paid: a December visit paid in January counts for its year, and is also shown as paid after the year
     * end) + the other costs dated inside the year. Costs dated outside the year are listed but not spent; state-grant
     * lines paid in the year's months for other years are listed and counted in their own year. Unused money, costs
     * outside the year and conditions not met raise the repayment risk (§13).
     */
    public record GrantUse(
            String projectCode,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amountReceived,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal stateGrantPayouts,
            long stateGrantPayoutLines,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal otherCosts,
            long otherCostEntries,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal spent,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal unused,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal spentBeyondGrant,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal costsOutsideYear,
            long costEntriesOutsideYear,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal stateGrantPayoutsForVisitsOutsideYear,
            long stateGrantPayoutLinesForVisitsOutsideYear,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal stateGrantPaidAfterYearEnd,
            long stateGrantLinesPaidAfterYearEnd,
            boolean repaymentRisk,
            List<String> repaymentRiskReasons) {
    }

    public record ResultsSection(Results overall, List<CentreResults> perCentre,
                                 List<MunicipalityResults> perMunicipality) {
    }

    /** A centre's results; name and municipality from the centre registry (null when the centre is not known yet). */
    public record CentreResults(String centreId, String name, String municipality, String compensationModel,
                                Results results) {
    }

    public record MunicipalityResults(String municipality, Results results) {
    }
}
