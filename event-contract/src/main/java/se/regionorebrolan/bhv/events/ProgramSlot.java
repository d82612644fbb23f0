package se.regionorebrolan.bhv.events;

import java.time.LocalDate;

/** The slots of Örebro's suggested extended programme (DOMAIN.md), first 15 months. */
public enum ProgramSlot {
    WEEK_1_2, MONTH_2, MONTH_4, MONTH_8, MONTH_12, MONTH_15;

    /**
     * The first day after the programme: the end of the 15-month visit's window. A slot's window reaches halfway to
     * its neighbours; the last one reaches as far after 15 months as before it (12 → 15 months: a month and a half),
     * so the programme ends at 16 months and 15 days. A visit from that day on is outside the programme: it has no
     * slot, and it is not a visit "during the child's first 15 months" (seed 000) for the conditions.
     */
    public static LocalDate programmeEnd(LocalDate birth) {
        return birth.plusMonths(16).plusDays(16);
    }
}
