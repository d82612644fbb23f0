package se.regionorebrolan.bhv.compensation.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** A registered centre as it stands: today's model derived from its history of approved decisions and figures. */
public record Centre(String centreId, String name, String municipality, BigDecimal childCni, int listedChildren0to5,
                     CentreHistory history) {

    public CompensationModel compensationModel() {
        return history.modelOn(SwedishCalendar.today());
    }

    /** The start of the approval in force today, or else of the next one to come; null when there is none. */
    public LocalDate fixedApprovedFrom() {
        LocalDate today = SwedishCalendar.today();
        return history.fixedPeriods().stream().filter(p -> p.until() == null || p.until().isAfter(today))
                .map(CentreHistory.FixedPeriod::from).findFirst().orElse(null);
    }

    /** A centre's application for the fixed model, with the unit's decisions on it. */
    public record Application(long applicationId, String centreId, LocalDate receivedOn, LocalDate requestedFrom,
                              String plannedUse, List<Decision> decisions) {
    }

    public enum Outcome { APPROVED, REJECTED, ENDED }

    public record Decision(long decisionId, Outcome outcome, String decisionRef, LocalDate decidedOn,
                           LocalDate effectiveOn) {
    }

    /** A centre on the list of those that may apply for the fixed model, and why it is there. */
    public record Eligible(String centreId, String source) {
    }
}
