package se.regionorebrolan.bhv.visit.domain;

import se.regionorebrolan.bhv.events.ProgramSlot;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Arrays;

/**
 * Infers the programme slot nearest to the child's age on the visit date (DOMAIN.md, "The programme"), within the
 * programme's ages only: an older child's visit has no slot.
 */
public final class ProgramSlots {

    private ProgramSlots() {
    }

    /** The child's age at which each slot's visit is due. WEEK_1_2 is "1-2 weeks": its middle, 10 days. */
    private static LocalDate dueDate(ProgramSlot slot, LocalDate birth) {
        return switch (slot) {
            case WEEK_1_2 -> birth.plusDays(10);
            case MONTH_2 -> birth.plusMonths(2);
            case MONTH_4 -> birth.plusMonths(4);
            case MONTH_8 -> birth.plusMonths(8);
            case MONTH_12 -> birth.plusMonths(12);
            case MONTH_15 -> birth.plusMonths(15);
        };
    }

    /** The nearest slot; null for a visit outside the programme (the child older than the 15-month window). */
    public static ProgramSlot nearest(LocalDate birth, LocalDate visitDate) {
        if (!visitDate.isBefore(ProgramSlot.programmeEnd(birth))) {
            return null;
        }
        return Arrays.stream(ProgramSlot.values())
                .min(Comparator.comparingLong(slot -> Math.abs(ChronoUnit.DAYS.between(dueDate(slot, birth), visitDate))))
                .orElseThrow();
    }
}
