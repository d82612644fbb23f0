package se.regionorebrolan.bhv.reporting.domain;


import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The five conditions of ordinance 2025:74 §2 (DOMAIN.md), each measured by one indicator over the year's
 * results, with a verdict against configurable thresholds ({@code bhv.conditions.cN.met} / {@code .partly}).
 */
public final class Conditions {

    /** The thresholds: the indicator's value at or above {@code met} is met, at or above {@code partly} partly met. */
    public interface Thresholds {
        Threshold c1();

        Threshold c2();

        Threshold c3();

        Threshold c4();

        Threshold c5();

        interface Threshold {
            BigDecimal met();

            BigDecimal partly();
        }
    }

    public enum Verdict { MET, PARTLY_MET, NOT_MET }

    public record Condition(int number, String condition, String indicator, BigDecimal value, String unit,
                            BigDecimal metAt, BigDecimal partlyMetAt, Verdict verdict, String explanation) {
    }

    private Conditions() {
    }

    public static List<Condition> assess(Results r, Thresholds t) {
        return List.of(
                condition(1, "Beyond ordinary child-health work, in areas of high exclusion, with more home visits than"
                                + " the national programme, in collaboration between municipality and region",
                        "children reached with more than two joint home visits with social services during their"
                                + " first 15 months (counted across calendar years)",
                        percent(r.childrenWithMoreThanTwoJointVisitsInFirst15Months(), r.childrenReached()), "%",
                        t.c1(), r),
                condition(2, "Children with a raised risk of unfavourable development are prioritised",
                        "children reached with at least one known risk factor",
                        percent(r.childrenWithRiskFactor(), r.childrenReached()), "%", t.c2(), r),
                condition(3, "Situation-adapted, regular, and based on the individual family's needs and wishes",
                        "median home visits per child reached",
                        r.medianVisitsPerChild(), "visits", t.c3(), r),
                condition(4, "Done by at least a BHV nurse and a person from social services together",
                        "home visits with social services taking part (joint visits)",
                        percent(r.jointVisits(), r.homeVisits()), "%", t.c4(), r),
                condition(5, "Where needed, leads to contact with other services such as preschool, maternal health"
                                + " care and dental care",
                        "children reached with at least one referral",
                        percent(r.childrenWithReferral(), r.childrenReached()), "%", t.c5(), r));
    }

    private static Condition condition(int number, String text, String indicator, BigDecimal value, String unit,
                                       Thresholds.Threshold threshold, Results r) {
        Verdict verdict;
        String explanation;
        if (r.homeVisits() == 0) {
            verdict = Verdict.NOT_MET;
            explanation = "Not met: no home visits were recorded in the year.";
        } else {
            verdict = value.compareTo(threshold.met()) >= 0 ? Verdict.MET
                    : value.compareTo(threshold.partly()) >= 0 ? Verdict.PARTLY_MET : Verdict.NOT_MET;
            String measured = value.toPlainString() + ("%".equals(unit) ? " % of " : " ") + indicator;
            explanation = switch (verdict) {
                case MET -> "Met: " + measured + " (met at " + threshold.met().toPlainString() + ").";
                case PARTLY_MET -> "Partly met: " + measured + " (met at " + threshold.met().toPlainString()
                        + ", partly at " + threshold.partly().toPlainString() + ").";
                case NOT_MET -> "Not met: " + measured + " (partly met from " + threshold.partly().toPlainString()
                        + ").";
            };
        }
        return new Condition(number, text, indicator, value, unit, threshold.met(), threshold.partly(), verdict,
                explanation);
    }

    /** part/whole in percent, one decimal, half up; 0 when there is no whole. */
    static BigDecimal percent(long part, long whole) {
        return whole == 0 ? BigDecimal.ZERO.setScale(1)
                : BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP);
    }
}
