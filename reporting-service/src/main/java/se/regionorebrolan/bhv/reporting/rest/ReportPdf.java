package se.regionorebrolan.bhv.reporting.rest;

import com.lowagie.text.Font;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.reporting.domain.Conditions;
import se.regionorebrolan.bhv.reporting.domain.Results;
import se.regionorebrolan.bhv.reporting.domain.SocialstyrelsenReport;
import se.regionorebrolan.bhv.reporting.service.ReportService;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two reports as PDF, ready to attach to Socialstyrelsen's e-service or to send to Hälsovalsenheten: every figure
 * of the JSON, in tables, and a chart drawn as vectors; Swedish for the readers. Amounts are the JSON's two-decimal
 * SEK; nothing is computed here that the JSON does not hold (the days left to a deadline aside).
 */
final class ReportPdf {

    private static final Font TITLE = PdfParts.TITLE;
    private static final Font TEXT = PdfParts.TEXT;
    private static final Font BOLD = PdfParts.BOLD;

    private ReportPdf() {
    }

    static byte[] socialstyrelsen(SocialstyrelsenReport r, LocalDate today) {
        return PdfParts.document("Återrapportering " + r.year(), (doc, writer) -> {
            doc.add(new Paragraph("Återrapportering till Socialstyrelsen: statsbidrag för utökade hembesöksprogram"
                    + " inom barnhälsovården, " + r.year(), TITLE));
            doc.add(new Paragraph("Sista dag för återrapporteringen: " + due(r.deadlines().socialstyrelsenReportDue(),
                    today) + ". Fasta mottagningarnas rapport till Hälsovalsenheten: "
                    + due(r.deadlines().regionalReportDue(), today) + ".", TEXT));

            SocialstyrelsenReport.GrantUse g = r.grantUse();
            PdfParts.heading(doc, "Statsbidragets användning");
            doc.add(PdfParts.pairs(new String[][] {
                    {"Projektkod", PdfParts.text(g.projectCode())},
                    {"Erhållet statsbidrag (kr)", PdfParts.sek(g.amountReceived())},
                    {"Utbetalt ur statsbidraget till mottagningar (kr)", PdfParts.sek(g.stateGrantPayouts())},
                    {"  antal utbetalningsrader", Long.toString(g.stateGrantPayoutLines())},
                    {"Övriga kostnader inom året (kr)", PdfParts.sek(g.otherCosts())},
                    {"  antal kostnader", Long.toString(g.otherCostEntries())},
                    {"Förbrukat (kr)", PdfParts.sek(g.spent())},
                    {"Oförbrukat (kr)", PdfParts.sek(g.unused())},
                    {"Förbrukat utöver bidraget (kr)", PdfParts.sek(g.spentBeyondGrant())},
                    {"Kostnader daterade utanför året (kr)", PdfParts.sek(g.costsOutsideYear())},
                    {"  antal", Long.toString(g.costEntriesOutsideYear())},
                    {"Utbetalt under året för andra års besök (kr)", PdfParts.sek(g.stateGrantPayoutsForVisitsOutsideYear())},
                    {"  antal rader", Long.toString(g.stateGrantPayoutLinesForVisitsOutsideYear())},
                    {"Utbetalt efter årets slut för året (kr)", PdfParts.sek(g.stateGrantPaidAfterYearEnd())},
                    {"  antal rader", Long.toString(g.stateGrantLinesPaidAfterYearEnd())},
                    {"Risk för återbetalning (§ 13)", g.repaymentRisk() ? "Ja" : "Nej"}}));
            for (String reason : g.repaymentRiskReasons()) {
                doc.add(new Paragraph("• " + reason, TEXT));
            }

            PdfParts.heading(doc, "Resultat för hela regionen");
            doc.add(results(List.of("Hela regionen"), List.of(r.results().overall())));
            doc.add(new Paragraph("Hembesök per besökstillfälle i programmet", BOLD));
            doc.add(PdfParts.bars(writer, slots(r.results().overall())));

            PdfParts.heading(doc, "Resultat per mottagning");
            PdfPTable centres = PdfParts.table(new float[] {2, 2, 1.5f, 1.5f}, "Mottagning", "HSA-id", "Kommun",
                    "Ersättningsmodell");
            for (SocialstyrelsenReport.CentreResults c : r.results().perCentre()) {
                PdfParts.cells(centres, PdfParts.text(c.name()), c.centreId(), PdfParts.text(c.municipality()), PdfParts.text(c.compensationModel()));
            }
            doc.add(centres);
            doc.add(results(r.results().perCentre().stream().map(c -> c.name() == null ? c.centreId() : c.name())
                    .toList(), r.results().perCentre().stream().map(SocialstyrelsenReport.CentreResults::results)
                    .toList()));

            PdfParts.heading(doc, "Resultat per kommun");
            doc.add(results(r.results().perMunicipality().stream().map(m -> m.municipality() == null
                    ? "Okänd kommun" : m.municipality()).toList(),
                    r.results().perMunicipality().stream().map(SocialstyrelsenReport.MunicipalityResults::results)
                            .toList()));

            PdfParts.heading(doc, "Villkoren i förordningen 2025:74 § 2");
            PdfPTable conditions = PdfParts.table(new float[] {0.4f, 3f, 2.4f, 1f, 1.2f, 1f},
                    "Nr", "Villkor", "Indikator", "Värde", "Gränser (uppfyllt / delvis)", "Bedömning");
            for (Conditions.Condition c : r.conditions()) {
                PdfParts.cells(conditions, Integer.toString(c.number()), c.condition(), c.indicator(),
                        c.value().toPlainString() + " " + c.unit(),
                        c.metAt().toPlainString() + " / " + c.partlyMetAt().toPlainString(), verdict(c.verdict()));
                PdfPCell explanation = new PdfPCell(new Phrase(c.explanation(), TEXT));
                explanation.setColspan(6);
                conditions.addCell(explanation);
            }
            doc.add(conditions);
        });
    }

    static byte[] regional(ReportService.RegionalReport r, LocalDate today) {
        return PdfParts.document("Regional rapport " + r.year(), (doc, writer) -> {
            doc.add(new Paragraph("Rapport till Hälsovalsenheten: fast ersättning med utökad resurs, " + r.year(),
                    TITLE));
            doc.add(new Paragraph("Sista dag: " + due(r.due(), today) + ".", TEXT));
            PdfParts.heading(doc, "Mottagningar med fast ersättning");
            PdfPTable centres = PdfParts.table(new float[] {2.2f, 1.3f, 0.7f, 0.8f, 1f, 0.8f, 0.8f, 0.8f, 1.1f, 1.1f},
                    "Mottagning", "Kommun", "Barn-CNI", "Listade barn 0–5", "Fast från", "Hembesök",
                    "Gemensamma", "Barn", "Fast ersättning (kr)", "Besöksersättning (kr)");
            for (ReportService.RegionalCentre c : r.centres()) {
                PdfParts.cells(centres, c.centreId() + " " + c.name(), c.municipality(), PdfParts.text(c.childCni()),
                        PdfParts.text(c.listedChildren0to5()), PdfParts.text(c.fixedApprovedFrom()),
                        Long.toString(c.scope().homeVisits()), Long.toString(c.scope().jointVisits()),
                        Long.toString(c.scope().childrenReached()), PdfParts.sek(c.fixedCompensationReceived()),
                        PdfParts.sek(c.visitPayoutsReceived()));
            }
            doc.add(centres);
            PdfParts.heading(doc, "Fast ersättning per månad (kr)");
            Map<String, Long> months = new LinkedHashMap<>();
            PdfPTable monthly = PdfParts.table(new float[] {1, 1}, "Månad", "Utbetalt (kr)");
            for (ReportService.FixedMonth m : r.months()) {
                PdfParts.cells(monthly, m.period(), PdfParts.sek(m.fixedCompensationPaid()));
                months.put(m.period().substring(5), m.fixedCompensationPaid().longValue());
            }
            doc.add(monthly);
            doc.add(PdfParts.bars(writer, months));
            doc.add(new Paragraph("Månader utan fast ersättning (ingen mottagning berättigad): "
                    + (r.monthsWithoutFixedCompensation().isEmpty() ? "inga"
                    : String.join(", ", r.monthsWithoutFixedCompensation())) + ".", TEXT));
            for (ReportService.RegionalCentre c : r.centres()) {
                PdfParts.heading(doc, c.name() + ": mottagningens egen redovisning");
                if (c.narrative() == null) {
                    doc.add(new Paragraph("Ingen redovisning inlämnad.", TEXT));
                } else {
                    doc.add(new Paragraph("Form och innehåll", BOLD));
                    doc.add(new Paragraph(c.narrative().formAndContent(), TEXT));
                    doc.add(new Paragraph("Planerad utveckling", BOLD));
                    doc.add(new Paragraph(c.narrative().plannedDevelopment(), TEXT));
                }
            }
        });
    }

    /** Every indicator of the results, one column per scope. */
    private static PdfPTable results(List<String> scopes, List<Results> results) {
        List<String> header = new ArrayList<>(List.of("Indikator"));
        header.addAll(scopes);
        float[] widths = new float[header.size()];
        java.util.Arrays.fill(widths, 1f);
        widths[0] = 2.4f;
        PdfPTable table = PdfParts.table(widths, header.toArray(String[]::new));
        row(table, "Barn som nåtts", results, Results::childrenReached);
        row(table, "Hembesök", results, Results::homeVisits);
        row(table, "Gemensamma hembesök med socialtjänsten", results, Results::jointVisits);
        for (ProgramSlot slot : ProgramSlot.values()) {
            row(table, "  hembesök vid " + slot.name(), results, x -> x.visitsPerSlot().getOrDefault(slot.name(), 0L));
        }
        row(table, "Barn som fått alla sex besöken", results, Results::childrenCompletedAllSlots);
        table.addCell(PdfParts.cell("Median hembesök per barn", TEXT));
        results.forEach(x -> table.addCell(PdfParts.cell(x.medianVisitsPerChild().toPlainString(), TEXT)));
        java.util.Set<String> referrals = new java.util.TreeSet<>();
        results.forEach(x -> referrals.addAll(x.referrals().keySet()));
        for (String referral : referrals) {
            row(table, "  hänvisningar till " + referral, results, x -> x.referrals().getOrDefault(referral, 0L));
        }
        row(table, "Hembesök med tolk", results, Results::visitsWithInterpreter);
        row(table, "Barn med känd riskfaktor", results, Results::childrenWithRiskFactor);
        row(table, "Barn med fler än två hembesök", results, Results::childrenWithMoreThanTwoVisits);
        row(table, "Barn med hänvisning", results, Results::childrenWithReferral);
        row(table, "Barn med fler än två gemensamma besök under första 15 månaderna", results,
                Results::childrenWithMoreThanTwoJointVisitsInFirst15Months);
        return table;
    }

    private static void row(PdfPTable table, String label, List<Results> results,
                            java.util.function.ToLongFunction<Results> figure) {
        table.addCell(PdfParts.cell(label, TEXT));
        results.forEach(x -> table.addCell(PdfParts.cell(Long.toString(figure.applyAsLong(x)), TEXT)));
    }

    private static Map<String, Long> slots(Results results) {
        Map<String, Long> bars = new LinkedHashMap<>();
        for (ProgramSlot slot : ProgramSlot.values()) {
            bars.put(slot.name(), results.visitsPerSlot().getOrDefault(slot.name(), 0L));
        }
        return bars;
    }

    private static String due(LocalDate due, LocalDate today) {
        long days = ChronoUnit.DAYS.between(today, due);
        return due + (days >= 0 ? " (" + days + " dagar kvar)" : " (passerad för " + -days + " dagar sedan)");
    }

    private static String verdict(Conditions.Verdict verdict) {
        return switch (verdict) {
            case MET -> "Uppfyllt";
            case PARTLY_MET -> "Delvis uppfyllt";
            case NOT_MET -> "Inte uppfyllt";
        };
    }

}
