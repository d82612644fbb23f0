package se.regionorebrolan.bhv.visit.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import se.regionorebrolan.bhv.events.ProgramSlot;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgramSlotsTests {

    private static final LocalDate BIRTH = LocalDate.of(2026, 1, 15);

    @ParameterizedTest
    @CsvSource({
            "2026-01-15, WEEK_1_2",  // the day of birth: nearest is the first visit
            "2026-01-25, WEEK_1_2",
            "2026-02-20, MONTH_2",   // 36 days: nearer 2 months (59) than 10 days? |36-10|=26 > |36-59|=23
            "2026-03-15, MONTH_2",
            "2026-04-20, MONTH_4",
            "2026-07-10, MONTH_4",   // 176 days: 4 months is 2026-05-15 (56 away), 8 months 2026-09-15 (67 away)
            "2026-09-01, MONTH_8",
            "2027-01-15, MONTH_12",
            "2027-04-15, MONTH_15",
            "2027-05-30, MONTH_15",  // 16 months and 15 days: the last day of the 15-month visit's window
            "2027-05-31,",           // from the next day on, outside the programme: no slot
            "2029-06-01,"            // a 3-year-old: the grant covers 0-5, the programme ends with its 15-month window
    })
    void infersTheNearestSlot(LocalDate visitDate, ProgramSlot expected) {
        assertEquals(expected, ProgramSlots.nearest(BIRTH, visitDate));
    }
}
