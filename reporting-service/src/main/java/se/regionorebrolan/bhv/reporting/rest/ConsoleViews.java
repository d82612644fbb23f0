package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.RawString;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.reporting.domain.Conditions;
import se.regionorebrolan.bhv.reporting.domain.Money;
import se.regionorebrolan.bhv.reporting.domain.Results;
import se.regionorebrolan.bhv.reporting.domain.SocialstyrelsenReport;
import se.regionorebrolan.bhv.reporting.repository.ReportCentreRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportPayoutRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportVisitRepository;
import se.regionorebrolan.bhv.reporting.service.ReportService;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the console's pages show, made from the reports' own figures (nothing is computed that the API lacks). */
final class ConsoleViews {

    static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
            "nov", "dec");

    private ConsoleViews() {
    }

    @TemplateData
    record Figure(String label, String value) {
    }

    @TemplateData
    record Deadline(String what, LocalDate due, String left) {
    }

    @TemplateData
    record ConditionRow(int number, String condition, String indicator, String value, String verdict) {
    }

    @TemplateData
    record Row(String name, List<String> cells, String total) {
    }

    @TemplateData
    record Region(List<Figure> figures, List<Figure> grant, boolean repaymentRisk, List<String> reasons,
                  List<Deadline> deadlines, List<ConditionRow> conditions, RawString visitsChart, List<Row> visits,
                  RawString slotsChart, RawString childrenChart, List<Row> perCentre, List<Row> perMunicipality,
                  List<String> scopeColumns, List<String> months) {
    }

    @TemplateData
    record Centre(String centreId, String name, List<Figure> figures, RawString visitsChart, List<Row> visits,
                  RawString slotsChart, List<Row> payouts, boolean reportsNarrative, String narrativeForm,
                  String narrativePlan, List<String> months) {
    }

    @TemplateData
    record Finance(List<Row> payouts, Row total, List<String> months, List<String> closed, boolean closedKnown) {
    }

    static Region region(SocialstyrelsenReport report, ReportService.Monthly monthly, LocalDate today) {
        Results all = report.results().overall();
        SocialstyrelsenReport.GrantUse g = report.grantUse();
        Map<String, String> names = names(monthly);
        Map<String, long[]> byCentre = new LinkedHashMap<>();
        for (ReportVisitRepository.CentreMonth m : monthly.visits()) {
            byCentre.computeIfAbsent(m.centreId(), c -> new long[12])[m.month() - 1] = m.visits();
        }
        List<Charts.Series> series = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        byCentre.forEach((id, values) -> {
            series.add(new Charts.Series(names.getOrDefault(id, id), values));
            rows.add(row(names.getOrDefault(id, id), values, Long::toString));
        });
        List<Figure> figures = new ArrayList<>(figures(all));
        figures.add(zv509(monthly));
        return new Region(figures, List.of(
                new Figure("Erhållet statsbidrag", sek(g.amountReceived())),
                new Figure("Förbrukat", sek(g.spent())),
                new Figure("  varav utbetalt till mottagningar", sek(g.stateGrantPayouts())),
                new Figure("  varav övriga kostnader", sek(g.otherCosts())),
                new Figure("Oförbrukat", sek(g.unused())),
                new Figure("Förbrukat utöver bidraget", sek(g.spentBeyondGrant()))),
                g.repaymentRisk(), g.repaymentRiskReasons(),
                List.of(deadline("Återrapportering till Socialstyrelsen", report.deadlines().socialstyrelsenReportDue(),
                                today),
                        deadline("Mottagningarnas rapport till Hälsovalsenheten",
                                report.deadlines().regionalReportDue(), today)),
                report.conditions().stream().map(c -> new ConditionRow(c.number(), c.condition(), c.indicator(),
                        c.value().toPlainString() + " " + c.unit(), verdict(c.verdict()))).toList(),
                new RawString(Charts.stacked("visits", "Hembesök per månad och mottagning, " + report.year(),
                        MONTHS, series)),
                rows, new RawString(Charts.bars("slots", "Hembesök per besökstillfälle i programmet", slots(all))),
                new RawString(Charts.bars("children", "Barn som fått besöket, per besökstillfälle",
                        children(monthly))),
                report.results().perCentre().stream().map(c -> scope(c.name() == null ? c.centreId() : c.name(),
                        c.results())).toList(),
                report.results().perMunicipality().stream().map(m -> scope(m.municipality() == null ? "Okänd kommun"
                        : m.municipality(), m.results())).toList(), SCOPE_COLUMNS, MONTHS);
    }

    static Centre centre(String centreId, SocialstyrelsenReport report, ReportService.Monthly monthly,
                         ReportService.RegionalReport regional) {
        Results results = report.results().perCentre().stream().filter(c -> c.centreId().equals(centreId))
                .map(SocialstyrelsenReport.CentreResults::results).findFirst().orElse(Results.NONE);
        long[] joint = new long[12];
        long[] other = new long[12];
        for (ReportVisitRepository.CentreMonth m : monthly.visits()) {
            joint[m.month() - 1] += m.jointVisits();
            other[m.month() - 1] += m.visits() - m.jointVisits();
        }
        long[] paid = new long[12];
        for (ReportPayoutRepository.CentrePayout p : monthly.payouts()) {
            paid[Integer.parseInt(p.period().substring(5)) - 1] += p.amountOre();
        }
        ReportService.RegionalCentre fixed = regional.centres().stream().filter(c -> c.centreId().equals(centreId))
                .findFirst().orElse(null);
        List<Figure> figures = new ArrayList<>(figures(results));
        figures.add(zv509(monthly));
        return new Centre(centreId, names(monthly).getOrDefault(centreId, centreId), figures,
                new RawString(Charts.stacked("visits", "Hembesök per månad", MONTHS, List.of(
                        new Charts.Series("Gemensamma med socialtjänsten", joint),
                        new Charts.Series("Övriga", other)))),
                List.of(row("Gemensamma med socialtjänsten", joint, Long::toString),
                        row("Övriga", other, Long::toString)),
                new RawString(Charts.bars("slots", "Barn som fått besöket, per besökstillfälle", children(monthly))),
                List.of(row("Utbetalt (kr)", paid, ConsoleViews::sek)), fixed != null,
                fixed == null || fixed.narrative() == null ? "" : fixed.narrative().formAndContent(),
                fixed == null || fixed.narrative() == null ? "" : fixed.narrative().plannedDevelopment(), MONTHS);
    }

    /** {@code closed}: the closed months as compensation-service says, or empty when it cannot say. */
    static Finance finance(ReportService.Monthly monthly, int year, java.util.Optional<java.util.Set<String>> closed) {
        Map<String, String> names = names(monthly);
        Map<String, long[]> byCentre = new LinkedHashMap<>();
        long[] total = new long[12];
        for (ReportPayoutRepository.CentrePayout p : monthly.payouts()) {
            int month = Integer.parseInt(p.period().substring(5)) - 1;
            byCentre.computeIfAbsent(p.centreId(), c -> new long[12])[month] += p.amountOre();
            total[month] += p.amountOre();
        }
        List<Row> rows = new ArrayList<>();
        byCentre.forEach((id, values) -> rows.add(row(names.getOrDefault(id, id), values, ConsoleViews::sek)));
        List<String> status = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            String month = java.time.YearMonth.of(year, m).toString();
            status.add(closed.map(c -> c.contains(month) ? "stängd" : "öppen").orElse("?"));
        }
        return new Finance(rows, row("Summa", total, ConsoleViews::sek), MONTHS, status, closed.isPresent());
    }

    private static List<Figure> figures(Results r) {
        return List.of(
                new Figure("Barn som nåtts", Long.toString(r.childrenReached())),
                new Figure("Hembesök", Long.toString(r.homeVisits())),
                new Figure("Gemensamma hembesök med socialtjänsten", Long.toString(r.jointVisits())),
                new Figure("Andel gemensamma hembesök", percent(r.jointVisits(), r.homeVisits())),
                new Figure("Barn som fått alla sex besöken", Long.toString(r.childrenCompletedAllSlots())),
                new Figure("Median hembesök per barn", r.medianVisitsPerChild().toPlainString()));
    }

    static final List<String> SCOPE_COLUMNS = List.of("Barn som nåtts", "Hembesök", "Gemensamma",
            "Alla sex besöken", "Median per barn");

    /** A scope's key figures (the PDF and the CSV hold every indicator). */
    private static Row scope(String name, Results r) {
        return new Row(name, List.of(Long.toString(r.childrenReached()), Long.toString(r.homeVisits()),
                Long.toString(r.jointVisits()), Long.toString(r.childrenCompletedAllSlots()),
                r.medianVisitsPerChild().toPlainString()), percent(r.jointVisits(), r.homeVisits()));
    }

    /** The share of the year's visits coded ZV509 (the KVÅ code of a joint home visit). */
    private static Figure zv509(ReportService.Monthly monthly) {
        long coded = monthly.visits().stream().mapToLong(ReportVisitRepository.CentreMonth::zv509).sum();
        long visits = monthly.visits().stream().mapToLong(ReportVisitRepository.CentreMonth::visits).sum();
        return new Figure("Andel hembesök kodade ZV509", percent(coded, visits));
    }

    private static Map<String, Long> children(ReportService.Monthly monthly) {
        Map<String, Long> children = new LinkedHashMap<>();
        for (ProgramSlot slot : ProgramSlot.values()) {
            children.put(slot.name(), monthly.childrenPerSlot().getOrDefault(slot.name(), 0L));
        }
        return children;
    }

    private static Map<String, Long> slots(Results r) {
        Map<String, Long> slots = new LinkedHashMap<>();
        for (ProgramSlot slot : ProgramSlot.values()) {
            slots.put(slot.name(), r.visitsPerSlot().getOrDefault(slot.name(), 0L));
        }
        return slots;
    }

    private static Map<String, String> names(ReportService.Monthly monthly) {
        Map<String, String> names = new LinkedHashMap<>();
        for (ReportCentreRepository.ReportCentre c : monthly.centres()) {
            names.put(c.centreId(), c.name());
        }
        return names;
    }

    private static Row row(String name, long[] values, java.util.function.LongFunction<String> format) {
        List<String> cells = new ArrayList<>();
        long sum = 0;
        for (long value : values) {
            cells.add(format.apply(value));
            sum += value;
        }
        return new Row(name, cells, format.apply(sum));
    }

    private static Deadline deadline(String what, LocalDate due, LocalDate today) {
        long days = ChronoUnit.DAYS.between(today, due);
        return new Deadline(what, due, days >= 0 ? days + " dagar kvar" : "passerad");
    }

    private static String verdict(Conditions.Verdict verdict) {
        return switch (verdict) {
            case MET -> "Uppfyllt";
            case PARTLY_MET -> "Delvis uppfyllt";
            case NOT_MET -> "Inte uppfyllt";
        };
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "–" : BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(whole), 1,
                RoundingMode.HALF_UP).toPlainString() + " %";
    }

    private static String sek(long ore) {
        return Money.sek(ore).toPlainString();
    }

    private static String sek(BigDecimal amount) {
        return amount == null ? "ej registrerat" : amount.toPlainString() + " kr";
    }
}
