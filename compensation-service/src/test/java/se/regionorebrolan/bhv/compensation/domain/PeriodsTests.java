package se.regionorebrolan.bhv.compensation.domain;

import org.junit.jupiter.api.Test;

import java.time.YearMonth;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeriodsTests {

    @Test
    void aLineForAnOpenMonthIsPaidInItUnchanged() {
        assertEquals(new Periods.Placement("2026-03", "2026-03", "JOINT_VISIT", "joint visit"),
                Periods.place(YearMonth.of(2026, 3), "JOINT_VISIT", "joint visit", Set.of("2026-01", "2026-02")));
    }

    @Test
    void aLineForAClosedMonthIsAnAdjustmentInTheFirstOpenMonthAfterIt() {
        assertEquals(new Periods.Placement("2026-03", "2026-01", "ADJUSTMENT",
                        "for the closed period 2026-01 (JOINT_VISIT): joint visit"),
                Periods.place(YearMonth.of(2026, 1), "JOINT_VISIT", "joint visit", Set.of("2026-01", "2026-02", "2026-04")),
                "the first open month after it, not the latest");
        assertEquals(YearMonth.of(2027, 1), Periods.firstOpen(YearMonth.of(2026, 12), Set.of("2026-12")), "across the year");
    }
}
