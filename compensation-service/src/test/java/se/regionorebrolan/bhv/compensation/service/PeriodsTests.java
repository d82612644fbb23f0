package se.regionorebrolan.bhv.compensation.service;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.model.PayoutLine;

import java.time.YearMonth;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeriodsTests {

    @Test
    void aLineForAnOpenMonthIsPaidInItUnchanged() {
        PayoutLine line = line();
        Periods.place(line, YearMonth.of(2026, 3), Set.of("2026-01", "2026-02"));
        assertEquals("2026-03", line.period);
        assertEquals("2026-03", line.forPeriod);
        assertEquals("JOINT_VISIT", line.kind);
        assertEquals("joint visit", line.reason);
    }

    @Test
    void aLineForAClosedMonthIsAnAdjustmentInTheFirstOpenMonthAfterIt() {
        PayoutLine line = line();
        Periods.place(line, YearMonth.of(2026, 1), Set.of("2026-01", "2026-02", "2026-04"));
        assertEquals("2026-03", line.period, "the first open month after it, not the latest");
        assertEquals("2026-01", line.forPeriod);
        assertEquals("ADJUSTMENT", line.kind);
        assertEquals("for the closed period 2026-01 (JOINT_VISIT): joint visit", line.reason);
        assertEquals(YearMonth.of(2027, 1), Periods.firstOpen(YearMonth.of(2026, 12), Set.of("2026-12")), "across the year");
    }

    private static PayoutLine line() {
        PayoutLine line = new PayoutLine();
        line.kind = "JOINT_VISIT";
        line.reason = "joint visit";
        return line;
    }
}
