package se.regionorebrolan.bhv.reporting.service;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The återrapportering to Socialstyrelsen for one grant year (DOMAIN.md, "Report back by March 2027"):
 * how the grant was used and the results. Money is SEK with two decimals, as a string.
 */
public record SocialstyrelsenReport(int year, Deadlines deadlines, GrantUse grantUse, Results results) {

    /** The report is due in March of the following year; fixed-model centres report by the end of January. */
    public record Deadlines(LocalDate socialstyrelsenReportDue, LocalDate regionalReportDue) {
        static Deadlines of(int year) {
            return new Deadlines(LocalDate.of(year + 1, 3, 31), LocalDate.of(year + 1, 1, 31));
        }
    }

    public record GrantUse(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal stateGrantPayouts,
                           long stateGrantPayoutLines) {
    }

    public record Results(long homeVisits, long jointVisits, long childrenReached) {
    }

    static SocialstyrelsenReport of(int year, long stateGrantOre, long stateGrantLines, Results results) {
        return new SocialstyrelsenReport(year, Deadlines.of(year),
                new GrantUse(BigDecimal.valueOf(stateGrantOre, 2), stateGrantLines), results);
    }
}
