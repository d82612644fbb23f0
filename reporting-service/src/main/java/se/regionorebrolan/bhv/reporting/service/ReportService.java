package se.regionorebrolan.bhv.reporting.service;

import se.regionorebrolan.bhv.reporting.repository.ChildSummaryRepository;
import se.regionorebrolan.bhv.reporting.domain.Conditions;
import se.regionorebrolan.bhv.reporting.domain.Money;
import se.regionorebrolan.bhv.reporting.domain.Results;
import se.regionorebrolan.bhv.reporting.domain.SocialstyrelsenReport;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.kit.Snapshots;
import se.regionorebrolan.bhv.reporting.config.ReportingConfig;
import se.regionorebrolan.bhv.reporting.repository.GrantRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportCentreRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportPayoutRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportVisitRepository;
import se.regionorebrolan.bhv.reporting.domain.SocialstyrelsenReport.CentreResults;
import se.regionorebrolan.bhv.reporting.domain.SocialstyrelsenReport.GrantUse;
import se.regionorebrolan.bhv.reporting.domain.SocialstyrelsenReport.MunicipalityResults;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the reports from the read models only, each in one read-only transaction (one consistent snapshot); the
 * children's summaries are brought up to date first ({@link ChildSummaries}).
 */
@ApplicationScoped
public class ReportService {

    /** One state-grant payout line of the evidence export. */
    public record EvidenceLine(String projectCode, long lineId, String centreId, String centreName, String period,
                               String kind, BigDecimal amount, String ruleSet, String visitId, LocalDate visitDate,
                               String childPseudonym) {
    }

    /** A fixed-model centre in the regional report: its scope, its fixed compensation and its own narrative. */
    public record RegionalCentre(String centreId, String name, String municipality, BigDecimal childCni,
                                 Integer listedChildren0to5, LocalDate fixedApprovedFrom, Scope scope,
                                 @com.fasterxml.jackson.annotation.JsonFormat(
                                         shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING)
                                 BigDecimal fixedCompensationReceived,
                                 @com.fasterxml.jackson.annotation.JsonFormat(
                                         shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING)
                                 BigDecimal visitPayoutsReceived,
                                 GrantService.Narrative narrative) {
    }

    public record Scope(long homeVisits, long jointVisits, long childrenReached) {
    }

    /**
     * The fixed compensation paid for each month of the year, over all centres; a month at zero had no eligible
     * centre (its part unpaid: the amount is in compensation-service's {@code GET /api/v1/fixed-compensation/{year}}).
     */
    public record FixedMonth(String period,
                             @com.fasterxml.jackson.annotation.JsonFormat(
                                     shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING)
                             BigDecimal fixedCompensationPaid) {
    }

    public record RegionalReport(int year, LocalDate due, List<RegionalCentre> centres, List<FixedMonth> months,
                                 List<String> monthsWithoutFixedCompensation) {
    }

    private final Pool pool;
    private final ChildSummaries summaries;
    private final Conditions.Thresholds thresholds;

    /** No report query holds a connection and a core for longer. */
    private final java.time.Duration statementTimeout;

    public ReportService(Pool pool, ChildSummaries summaries, ReportingConfig config) {
        this.pool = pool;
        this.summaries = summaries;
        this.thresholds = config.conditions();
        this.statementTimeout = config.reports().statementTimeout();
    }

    /** The year month by month, for the console: visits and payouts per centre (one centre's, or all when null). */
    public record Monthly(List<ReportVisitRepository.CentreMonth> visits,
                          List<ReportPayoutRepository.CentrePayout> payouts,
                          List<ReportCentreRepository.ReportCentre> centres, Map<String, Long> childrenPerSlot) {
    }

    public Uni<Monthly> monthly(int year, String centreId) {
        return snapshot(conn -> ReportVisitRepository.byMonth(conn, year, centreId)
                .chain(visits -> ReportPayoutRepository.paidByMonth(conn, year, centreId)
                        .chain(payouts -> ReportCentreRepository.all(conn, year)
                                .chain(centres -> ReportVisitRepository.childrenPerSlot(conn, year, centreId)
                                        .map(slots -> new Monthly(visits, payouts, centres, slots))))));
    }

    public Uni<SocialstyrelsenReport> socialstyrelsen(int year) {
        return summaries.refresh().chain(() -> snapshot(conn -> results(conn, year).chain(results -> grantUse(conn, year).map(grantUse -> {
            Results overall = results.overall();
            List<Conditions.Condition> conditions = Conditions.assess(overall, thresholds);
            return new SocialstyrelsenReport(year, SocialstyrelsenReport.Deadlines.of(year),
                    withConditions(grantUse, conditions),
                    new SocialstyrelsenReport.ResultsSection(overall, results.perCentre(), results.perMunicipality()),
                    conditions);
        }))));
    }

    /**
     * The evidence lines, streamed from a cursor in one read-only snapshot (a national year has hundreds of thousands
     * of lines: they are never all in memory).
     */
    public Multi<EvidenceLine> evidence(int year) {
        return Snapshots.stream(pool, statementTimeout, conn -> GrantRepository.grant(conn, year)
                .chain(grant -> ReportCentreRepository.all(conn, year).map(centres -> {
                    Map<String, String> names = new HashMap<>();
                    centres.forEach(c -> names.put(c.centreId(), c.name()));
                    return new Object[] {grant == null ? null : grant.projectCode(), names};
                }))
                .onItem().transformToMulti(known -> ReportPayoutRepository.evidence(conn, year)
                        .map(l -> evidenceLine((String) known[0], (Map<?, ?>) known[1], l))));
    }

    private static EvidenceLine evidenceLine(String projectCode, Map<?, ?> names, ReportPayoutRepository.EvidenceRow l) {
        return new EvidenceLine(projectCode, l.lineId(), l.centreId(), (String) names.get(l.centreId()), l.period(),
                l.kind(), Money.sek(l.amountOre()), l.ruleSet(), l.visitId() == null ? null : l.visitId().toString(),
                l.visitDate(), l.childPseudonym());
    }

    /**
     * The centres on the fixed model on some day of the year (their approved periods), or paid fixed compensation for
     * it, with scope, money for the year (fixed compensation, late or re-split included, and visit money) and
     * narrative.
     */
    public Uni<RegionalReport> regional(int year) {
        return summaries.refresh().chain(() -> snapshot(conn -> ChildSummaryRepository.perCentre(conn, year).chain(byCentre ->
                ReportCentreRepository.all(conn, year).chain(all -> ReportPayoutRepository.byCentre(conn, year)
                        .chain(money -> GrantRepository.narratives(conn, year).map(narratives -> {
                            List<RegionalCentre> centres = new ArrayList<>();
                            for (ReportCentreRepository.ReportCentre c : all) {
                                ReportPayoutRepository.CentreMoney m = money.getOrDefault(c.centreId(),
                                        new ReportPayoutRepository.CentreMoney(0, 0));
                                if (!c.fixedInYear() && m.fixedOre() == 0) {
                                    continue;
                                }
                                Results res = byCentre.getOrDefault(c.centreId(), Results.NONE);
                                centres.add(new RegionalCentre(c.centreId(), c.name(), c.municipality(), c.childCni(),
                                        c.listedChildren0to5(), c.fixedFrom(),
                                        new Scope(res.homeVisits(), res.jointVisits(), res.childrenReached()),
                                        Money.sek(m.fixedOre()), Money.sek(m.visitsOre()),
                                        narratives.get(c.centreId())));
                            }
                            return centres;
                        })))
                .chain(centres -> ReportPayoutRepository.fixedByMonth(conn, year).map(paid -> {
                    List<FixedMonth> months = new ArrayList<>();
                    for (int m = 1; m <= 12; m++) {
                        String period = java.time.YearMonth.of(year, m).toString();
                        months.add(new FixedMonth(period, Money.sek(paid.getOrDefault(period, 0L))));
                    }
                    return new RegionalReport(year, LocalDate.of(year + 1, 1, 31), centres, months,
                            months.stream().filter(f -> f.fixedCompensationPaid().signum() == 0)
                                    .map(FixedMonth::period).toList());
                })))));
    }

    private <T> Uni<T> snapshot(java.util.function.Function<SqlConnection, Uni<T>> work) {
        return Snapshots.read(pool, statementTimeout, conn -> conn.query("SET LOCAL work_mem = '256MB'").execute()
                .chain(() -> work.apply(conn)));
    }

    private record AllResults(Results overall, List<CentreResults> perCentre, List<MunicipalityResults> perMunicipality) {
    }

    private static Uni<AllResults> results(SqlConnection conn, int year) {
        Map<String, String[]> centres = new HashMap<>();
        return ReportCentreRepository.all(conn, year)
                .invoke(all -> all.forEach(c -> centres.put(c.centreId(), new String[] {c.name(), c.municipality(),
                        c.compensationModel()})))
                .chain(() -> ChildSummaryRepository.overall(conn, year))
                .chain(overall -> ChildSummaryRepository.perCentre(conn, year).chain(byCentre -> ChildSummaryRepository.perMunicipality(conn, year)
                        .map(byMunicipality -> {
                            List<CentreResults> perCentre = new ArrayList<>();
                            byCentre.forEach((id, results) -> {
                                String[] c = centres.getOrDefault(id, new String[3]);
                                perCentre.add(new CentreResults(id, c[0], c[1], c[2], results));
                            });
                            List<MunicipalityResults> perMunicipality = new ArrayList<>();
                            byMunicipality.forEach((m, results) -> perMunicipality.add(
                                    new MunicipalityResults(m.isEmpty() ? null : m, results)));
                            perMunicipality.sort(Comparator.comparing(MunicipalityResults::municipality,
                                    Comparator.nullsLast(Comparator.naturalOrder())));
                            return new AllResults(overall, perCentre, perMunicipality);
                        })));
    }

    private static Uni<GrantUse> grantUse(SqlConnection conn, int year) {
        return GrantRepository.grant(conn, year).chain(grant -> ReportPayoutRepository.stateGrant(conn, year)
                .chain(lines -> GrantRepository.costTotals(conn, year).map(costs -> grantUse(grant, lines, costs))));
    }

    /** A condition not met raises the repayment risk (§13: "villkoren inte har följts"), with its reason. */
    static GrantUse withConditions(GrantUse use, List<Conditions.Condition> conditions) {
        List<String> reasons = new ArrayList<>(use.repaymentRiskReasons());
        conditions.stream().filter(c -> c.verdict() == Conditions.Verdict.NOT_MET)
                .forEach(c -> reasons.add("CONDITION_NOT_MET: condition " + c.number() + " (" + c.condition()
                        + ") is not met; " + c.explanation()));
        return new GrantUse(use.projectCode(), use.amountReceived(), use.stateGrantPayouts(),
                use.stateGrantPayoutLines(), use.otherCosts(), use.otherCostEntries(), use.spent(), use.unused(),
                use.spentBeyondGrant(), use.costsOutsideYear(), use.costEntriesOutsideYear(),
                use.stateGrantPayoutsForVisitsOutsideYear(), use.stateGrantPayoutLinesForVisitsOutsideYear(),
                use.stateGrantPaidAfterYearEnd(), use.stateGrantLinesPaidAfterYearEnd(), !reasons.isEmpty(), reasons);
    }

    static GrantUse grantUse(GrantService.Grant grant, ReportPayoutRepository.StateGrant lines,
                             GrantRepository.CostTotals costs) {
        Long received = grant == null ? null : grant.amountReceived().movePointRight(2).longValueExact();
        long stateGrant = lines.forYearOre();
        long otherCosts = costs.withinOre();
        long spent = stateGrant + otherCosts;
        long outsideCosts = costs.outsideOre();
        long outsideLines = lines.otherYearsOre();
        List<String> reasons = new ArrayList<>();
        long unused = received == null ? 0 : Math.max(0, received - spent);
        if (received == null) {
            reasons.add("NO_GRANT_REGISTERED: the grant received for the year is not registered (PUT /api/v1/grants/"
                    + "{year}), so its use cannot be shown");
        } else if (unused > 0) {
            reasons.add("UNUSED: " + Money.sek(unused).toPlainString() + " SEK of the grant is not used; unused money"
                    + " is paid back (§13)");
        }
        if (outsideCosts > 0) {
            reasons.add("COSTS_OUTSIDE_YEAR: " + costs.outside() + " cost(s) of " + Money.sek(outsideCosts)
                    .toPlainString() + " SEK are dated outside the year; the grant may only pay for costs of the year");
        }

        return new GrantUse(grant == null ? null : grant.projectCode(), received == null ? null : Money.sek(received),
                Money.sek(stateGrant), lines.forYearLines(), Money.sek(otherCosts), costs.within(), Money.sek(spent),
                Money.sek(unused), Money.sek(received == null ? 0 : Math.max(0, spent - received)),
                Money.sek(outsideCosts), costs.outside(), Money.sek(outsideLines), lines.otherYearsLines(),
                Money.sek(lines.paidAfterOre()), lines.paidAfterLines(), !reasons.isEmpty(), reasons);
    }
}
