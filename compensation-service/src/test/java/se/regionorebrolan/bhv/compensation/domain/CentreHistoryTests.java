package se.regionorebrolan.bhv.compensation.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.domain.CompensationModel;
import se.regionorebrolan.bhv.compensation.domain.CentreHistory.Figures;
import se.regionorebrolan.bhv.compensation.domain.CentreHistory.FixedPeriod;
import se.regionorebrolan.bhv.compensation.domain.CentreHistory.ModelPeriod;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The model in force on a date, the months a centre shares fixed compensation in, and its figures through time. */
class CentreHistoryTests {

    /** Approved 2026-03-10, ended from 2026-08-01; approved again from 2026-11-15 (open). */
    static final CentreHistory VARBERGA = new CentreHistory("E102",
            List.of(new FixedPeriod(LocalDate.of(2026, 11, 15), null, "CBHV 2026/31"),
                    new FixedPeriod(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 8, 1), "CBHV 2026/4")),
            List.of(new Figures(LocalDate.of(2026, 6, 1), new BigDecimal("2.75"), 1200),
                    new Figures(LocalDate.of(2026, 1, 1), new BigDecimal("2.60"), 1100)));

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "2026-01-01 | VARIABLE",
            "2026-03-09 | VARIABLE",
            "2026-03-10 | FIXED_EXTENDED",   // the approval's first day
            "2026-07-31 | FIXED_EXTENDED",
            "2026-08-01 | VARIABLE",         // the day the approval ended
            "2026-11-14 | VARIABLE",
            "2026-11-15 | FIXED_EXTENDED",
            "2030-01-01 | FIXED_EXTENDED"})
    void aVisitIsPricedByTheModelInForceOnItsDate(String date, CompensationModel expected) {
        assertEquals(expected, VARBERGA.modelOn(LocalDate.parse(date)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "2026-02 | false",
            "2026-03 | true",    // approved on the 10th: the approval month counts (pro rata from it)
            "2026-07 | true",
            "2026-08 | false",   // ended from the 1st: no day of August on the fixed model
            "2026-10 | false",
            "2026-11 | true",
            "2026-12 | true"})
    void aCentreSharesAMonthWhenItIsOnTheFixedModelOnADayOfIt(String month, boolean expected) {
        assertEquals(expected, VARBERGA.fixedIn(YearMonth.parse(month)));
    }

    @Test
    void aMonthUsesTheFiguresInForceOnItsFirstDay() {
        assertEquals(new BigDecimal("2.60"), VARBERGA.figuresFor(YearMonth.of(2026, 5)).childCni());
        assertEquals(1200, VARBERGA.figuresFor(YearMonth.of(2026, 6)).listedChildren0to5());
        assertEquals(new BigDecimal("2.60"), VARBERGA.figuresFor(YearMonth.of(2025, 12)).childCni(),
                "before the first figures: the earliest");
        assertNull(new CentreHistory("X", List.of(), List.of()).figuresFor(YearMonth.of(2026, 1)));
    }

    @Test
    void theHistoryReadsAsConsecutivePeriods() {
        assertEquals(List.of(
                new ModelPeriod(null, LocalDate.of(2026, 3, 10), CompensationModel.VARIABLE, null),
                new ModelPeriod(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 8, 1), CompensationModel.FIXED_EXTENDED,
                        "CBHV 2026/4"),
                new ModelPeriod(LocalDate.of(2026, 8, 1), LocalDate.of(2026, 11, 15), CompensationModel.VARIABLE, null),
                new ModelPeriod(LocalDate.of(2026, 11, 15), null, CompensationModel.FIXED_EXTENDED, "CBHV 2026/31")),
                VARBERGA.modelPeriods());
        assertEquals(List.of(new ModelPeriod(null, null, CompensationModel.VARIABLE, null)),
                new CentreHistory("X", List.of(), List.of()).modelPeriods());
    }

    @Test
    void periodsThatShareADayOverlap() {
        FixedPeriod spring = new FixedPeriod(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 6, 1), null);
        assertEquals(true, spring.overlaps(new FixedPeriod(LocalDate.of(2026, 5, 31), null, null)));
        assertEquals(false, spring.overlaps(new FixedPeriod(LocalDate.of(2026, 6, 1), null, null)));
        assertEquals(true, new FixedPeriod(LocalDate.of(2027, 1, 1), null, null).overlaps(
                new FixedPeriod(LocalDate.of(2026, 1, 1), null, null)));
    }
}
