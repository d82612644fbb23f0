package se.regionorebrolan.bhv.reporting.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.reporting.service.SocialstyrelsenReport.CentreResults;
import se.regionorebrolan.bhv.reporting.service.SocialstyrelsenReport.GrantUse;
import se.regionorebrolan.bhv.reporting.service.SocialstyrelsenReport.MunicipalityResults;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Computes the reports from the read models only, each in one read-only transaction (one consistent snapshot). */
@ApplicationScoped
public class ReportService {

    /**
     * The state-grant money of year $1 (lines for the year's visits and fixed months, wherever paid), what of it was
     * paid after the year ended, and what the year's months paid for other years (counted in those years).
     */
    private static final String STATE_GRANT_LINES = """
            SELECT coalesce(sum(amount_ore) FILTER (WHERE for_year = $1), 0)::bigint,
                   coalesce(sum(lines) FILTER (WHERE for_year = $1), 0)::bigint,
                   coalesce(sum(amount_ore) FILTER (WHERE for_year <> $1 AND period BETWEEN $2 AND $3), 0)::bigint,
                   coalesce(sum(lines) FILTER (WHERE for_year <> $1 AND period BETWEEN $2 AND $3), 0)::bigint,
                   coalesce(sum(amount_ore) FILTER (WHERE for_year = $1 AND period > $3), 0)::bigint,
                   coalesce(sum(lines) FILTER (WHERE for_year = $1 AND period > $3), 0)::bigint
            FROM payout_summary
            WHERE funding_source = 'STATE_GRANT' AND (for_year = $1 OR period BETWEEN $2 AND $3)""";

    private static final String COSTS = """
            SELECT coalesce(sum(amount_ore) FILTER (WHERE cost_date BETWEEN $2 AND $3), 0)::bigint,
                   count(*) FILTER (WHERE cost_date BETWEEN $2 AND $3),
                   coalesce(sum(amount_ore) FILTER (WHERE cost_date NOT BETWEEN $2 AND $3), 0)::bigint,
                   count(*) FILTER (WHERE cost_date NOT BETWEEN $2 AND $3)
            FROM grant_cost WHERE year = $1""";

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
    private final Conditions.Thresholds thresholds;

    /** {@code SET LOCAL statement_timeout}: no report query holds a connection and a core for longer. */
    private final String statementTimeout;

    public ReportService(Pool pool, Conditions.Thresholds thresholds,
                         @org.eclipse.microprofile.config.inject.ConfigProperty(
                                 name = "bhv.reports.statement-timeout", defaultValue = "60s") java.time.Duration timeout) {
        this.pool = pool;
        this.thresholds = thresholds;
        this.statementTimeout = "SET LOCAL statement_timeout = " + timeout.toMillis();
    }

    public Uni<SocialstyrelsenReport> socialstyrelsen(int year) {
        return snapshot(conn -> results(conn, year).chain(results -> grantUse(conn, year).map(grantUse -> {
            Results overall = results.overall();
            List<Conditions.Condition> conditions = Conditions.assess(overall, thresholds);
            return new SocialstyrelsenReport(year, SocialstyrelsenReport.Deadlines.of(year),
                    withConditions(grantUse, conditions),
                    new SocialstyrelsenReport.ResultsSection(overall, results.perCentre(), results.perMunicipality()),
                    conditions);
        })));
    }

    /**
     * The evidence lines, streamed from a cursor in one read-only snapshot (a national year has hundreds of thousands
     * of lines: they are never all in memory).
     */
    public Multi<EvidenceLine> evidence(int year) {
        return Multi.createFrom().resourceFromUni(
                        () -> pool.getConnection().chain(conn -> conn.begin()
                                .call(tx -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                                        .execute())
                                .call(tx -> conn.query(statementTimeout).execute())
                                .map(tx -> new Streaming(conn, tx))
                                .onFailure().call(conn::close)),
                        streaming -> streaming.conn().prepare("""
                                        SELECT g.project_code, l.line_id, l.centre_id, c.name, l.period, l.kind,
                                               l.amount_ore, l.rule_set, l.visit_id, l.visit_date, l.child_pseudonym
                                        FROM report_payout_line l
                                        LEFT JOIN report_centre c ON c.centre_id = l.centre_id
                                        LEFT JOIN grant_year g ON g.year = $1
                                        WHERE l.funding_source = 'STATE_GRANT' AND l.for_year = $1
                                        ORDER BY l.line_id""")
                                .onItem().transformToMulti(statement -> statement.createStream(5_000,
                                        Tuple.of(year)).toMulti())
                                .map(r -> new EvidenceLine(r.getString(0), r.getLong(1), r.getString(2),
                                        r.getString(3), r.getString(4), r.getString(5), Money.sek(r.getLong(6)),
                                        r.getString(7), r.getUUID(8) == null ? null : r.getUUID(8).toString(),
                                        r.getLocalDate(9), r.getString(10))))
                .withFinalizer((java.util.function.Function<Streaming, Uni<Void>>) streaming -> streaming.tx().commit()
                        .eventually(streaming.conn()::close));
    }

    private record Streaming(SqlConnection conn, Transaction tx) {
    }

    /**
     * The centres on the fixed model on some day of the year (their approved periods), or paid fixed compensation for
     * it, with scope, money for the year (fixed compensation, late or re-split included, and visit money) and
     * narrative.
     */
    public Uni<RegionalReport> regional(int year) {
        return snapshot(conn -> Summaries.perCentre(conn, year).chain(byCentre -> conn.preparedQuery("""
                        SELECT c.centre_id, c.name, c.municipality, c.child_cni, c.listed_children,
                               (SELECT max(p.from_date) FROM report_centre_fixed_period p WHERE p.centre_id = c.centre_id
                                  AND p.from_date <= $3 AND (p.until IS NULL OR p.until > $2)),
                               coalesce(m.fixed, 0)::bigint, coalesce(m.visits, 0)::bigint,
                               n.form_and_content, n.planned_development, n.updated_at
                        FROM report_centre c
                        LEFT JOIN (SELECT centre_id,
                                          sum(amount_ore) FILTER (WHERE money_kind = 'FIXED_MONTHLY') AS fixed,
                                          sum(amount_ore) FILTER (WHERE money_kind <> 'FIXED_MONTHLY') AS visits
                                   FROM payout_summary WHERE for_year = $1 GROUP BY centre_id) m
                               ON m.centre_id = c.centre_id
                        LEFT JOIN regional_narrative n ON n.year = $1 AND n.centre_id = c.centre_id
                        WHERE""" + " " + FIXED_IN_YEAR + """
                           OR coalesce(m.fixed, 0) <> 0
                        ORDER BY c.centre_id""")
                .execute(Tuple.of(year, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31)))
                .map(rows -> {
                    List<RegionalCentre> centres = new ArrayList<>();
                    for (Row r : rows) {
                        Results res = byCentre.getOrDefault(r.getString(0), Results.NONE);
                        GrantService.Narrative narrative = r.getString(8) == null ? null
                                : new GrantService.Narrative(r.getString(8), r.getString(9),
                                r.getOffsetDateTime(10).toInstant());
                        centres.add(new RegionalCentre(r.getString(0), r.getString(1), r.getString(2),
                                r.getBigDecimal(3), r.getInteger(4), r.getLocalDate(5),
                                new Scope(res.homeVisits(), res.jointVisits(), res.childrenReached()),
                                Money.sek(r.getLong(6)), Money.sek(r.getLong(7)), narrative));
                    }
                    return centres;
                })
                .chain(centres -> conn.preparedQuery("SELECT for_period, sum(amount_ore)::bigint FROM payout_summary"
                                + " WHERE for_year = $1 AND money_kind = 'FIXED_MONTHLY' GROUP BY 1")
                        .execute(Tuple.of(year)).map(rows -> {
                            Map<String, Long> paid = new HashMap<>();
                            rows.forEach(r -> paid.put(r.getString(0), r.getLong(1)));
                            List<FixedMonth> months = new ArrayList<>();
                            for (int m = 1; m <= 12; m++) {
                                String period = java.time.YearMonth.of(year, m).toString();
                                months.add(new FixedMonth(period, Money.sek(paid.getOrDefault(period, 0L))));
                            }
                            return new RegionalReport(year, LocalDate.of(year + 1, 1, 31), centres, months,
                                    months.stream().filter(f -> f.fixedCompensationPaid().signum() == 0)
                                            .map(FixedMonth::period).toList());
                        }))));
    }

    /** The centre {@code c} was on the fixed model on a day between $2 and $3 (an approved period overlaps them). */
    static final String FIXED_IN_YEAR = """
            EXISTS (SELECT 1 FROM report_centre_fixed_period p WHERE p.centre_id = c.centre_id AND p.from_date <= $3
                      AND (p.until IS NULL OR p.until > $2))""";

    private <T> Uni<T> snapshot(java.util.function.Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute().chain(() -> conn.query("SET LOCAL work_mem = '256MB'").execute())
                .chain(() -> conn.query(statementTimeout).execute())
                .chain(() -> work.apply(conn)));
    }

    private record AllResults(Results overall, List<CentreResults> perCentre, List<MunicipalityResults> perMunicipality) {
    }

    private static Uni<AllResults> results(SqlConnection conn, int year) {
        Map<String, String[]> centres = new HashMap<>();
        return conn.query("SELECT centre_id, name, municipality, compensation_model FROM report_centre").execute()
                .invoke(rows -> rows.forEach(r -> centres.put(r.getString(0), new String[] {r.getString(1),
                        r.getString(2), r.getString(3)})))
                .chain(() -> Summaries.overall(conn, year))
                .chain(overall -> Summaries.perCentre(conn, year).chain(byCentre -> Summaries.perMunicipality(conn, year)
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
        LocalDate from = LocalDate.of(year, 1, 1);
        LocalDate to = LocalDate.of(year, 12, 31);
        return conn.preparedQuery("SELECT amount_received_ore, project_code FROM grant_year WHERE year = $1")
                .execute(Tuple.of(year))
                .chain(grant -> conn.preparedQuery(STATE_GRANT_LINES)
                        .execute(Tuple.of(year, year + "-01", year + "-12"))
                        .chain(lines -> conn.preparedQuery(COSTS).execute(Tuple.of(year, from, to))
                                .map(costs -> grantUse(grant.iterator().hasNext() ? grant.iterator().next() : null,
                                        lines.iterator().next(), costs.iterator().next()))));
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

    static GrantUse grantUse(Row grant, Row lines, Row costs) {
        Long received = grant == null ? null : grant.getLong(0);
        long stateGrant = lines.getLong(0);
        long otherCosts = costs.getLong(0);
        long spent = stateGrant + otherCosts;
        long outsideCosts = costs.getLong(2);
        long outsideLines = lines.getLong(2);
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
            reasons.add("COSTS_OUTSIDE_YEAR: " + costs.getLong(3) + " cost(s) of " + Money.sek(outsideCosts)
                    .toPlainString() + " SEK are dated outside the year; the grant may only pay for costs of the year");
        }

        return new GrantUse(grant == null ? null : grant.getString(1), received == null ? null : Money.sek(received),
                Money.sek(stateGrant), lines.getLong(1), Money.sek(otherCosts), costs.getLong(1), Money.sek(spent),
                Money.sek(unused), Money.sek(received == null ? 0 : Math.max(0, spent - received)),
                Money.sek(outsideCosts), costs.getLong(3), Money.sek(outsideLines), lines.getLong(3),
                Money.sek(lines.getLong(4)), lines.getLong(5), !reasons.isEmpty(), reasons);
    }
}
