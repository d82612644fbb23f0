package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.compensation.domain.CompensationModel;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A centre's compensation model and weighting figures through time (DOMAIN.md rule 2 and 4). A centre is on the fixed
 * model with extended resource only within the periods of its approved decisions; outside them it is a variable-model
 * centre. Its figures (child-CNI, listed children 0–5) are effective-dated too. Pure: what happened is read from the
 * decisions, never from the registry as it is today.
 *
 * @param fixedPeriods the approved periods, in any order; they never overlap (the decisions refuse an overlap)
 * @param figures      the figures, in any order
 */
public record CentreHistory(String centreId, List<FixedPeriod> fixedPeriods, List<Figures> figures) {

    /** An approved period of the fixed model: from its first day, until the day it ended (exclusive; null: open). */
    public record FixedPeriod(LocalDate from, LocalDate until, String decisionRef) {

        public boolean covers(LocalDate date) {
            return !date.isBefore(from) && (until == null || date.isBefore(until));
        }

        /** The period has at least one day in the month. */
        public boolean overlaps(YearMonth month) {
            return !from.isAfter(month.atEndOfMonth()) && (until == null || until.isAfter(month.atDay(1)));
        }

        public boolean overlaps(FixedPeriod other) {
            return (other.until == null || from.isBefore(other.until)) && (until == null || other.from.isBefore(until));
        }
    }

    /** The weighting figures in force from a date. */
    public record Figures(LocalDate validFrom, BigDecimal childCni, int listedChildren0to5) {
    }

    /** A stretch of time on one model, as the registry shows it; {@code to} exclusive, null for open. */
    public record ModelPeriod(LocalDate from, LocalDate to, CompensationModel model, String decisionRef) {
    }

    public CentreHistory {
        fixedPeriods = fixedPeriods.stream().sorted(Comparator.comparing(FixedPeriod::from)).toList();
        figures = figures.stream().sorted(Comparator.comparing(Figures::validFrom)).toList();
    }

    /** The model a visit on this date is priced by. */
    public CompensationModel modelOn(LocalDate date) {
        return fixedPeriods.stream().anyMatch(p -> p.covers(date)) ? CompensationModel.FIXED_EXTENDED
                : CompensationModel.VARIABLE;
    }

    /** The approved period the date falls in, or null. */
    public FixedPeriod fixedPeriodOn(LocalDate date) {
        return fixedPeriods.stream().filter(p -> p.covers(date)).findFirst().orElse(null);
    }

    /**
     * Whether the centre shares the month's fixed compensation: on the fixed model on at least one day of it ("pro
     * rata from the approval month", seed 000 and DOMAIN.md rule 4).
     */
    public boolean fixedIn(YearMonth month) {
        return fixedPeriods.stream().anyMatch(p -> p.overlaps(month));
    }

    /** The figures in force on the month's first day; the earliest figures for a month before them; null if none. */
    public Figures figuresFor(YearMonth month) {
        LocalDate first = month.atDay(1);
        Figures found = null;
        for (Figures f : figures) {
            if (!f.validFrom().isAfter(first)) {
                found = f;
            }
        }
        return found != null || figures.isEmpty() ? found : figures.get(0);
    }

    /** The whole history as consecutive periods, the first from the beginning of time (null). */
    public List<ModelPeriod> modelPeriods() {
        List<ModelPeriod> periods = new ArrayList<>();
        LocalDate at = null;
        for (FixedPeriod p : fixedPeriods) {
            if (at == null || p.from().isAfter(at)) {
                periods.add(new ModelPeriod(at, p.from(), CompensationModel.VARIABLE, null));
            }
            periods.add(new ModelPeriod(p.from(), p.until(), CompensationModel.FIXED_EXTENDED, p.decisionRef()));
            at = p.until();
            if (at == null) {
                return periods;
            }
        }
        periods.add(new ModelPeriod(at, null, CompensationModel.VARIABLE, null));
        return periods;
    }
}
