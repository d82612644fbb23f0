package se.regionorebrolan.bhv.compensation.domain;

import java.time.LocalDate;
import java.time.ZoneId;

/** Dates of rules and periods are Swedish calendar days: just after midnight in Örebro it is already tomorrow. */
public final class SwedishCalendar {

    private static final ZoneId SWEDEN = ZoneId.of("Europe/Stockholm");

    private SwedishCalendar() {
    }

    public static LocalDate today() {
        return LocalDate.now(SWEDEN);
    }
}
