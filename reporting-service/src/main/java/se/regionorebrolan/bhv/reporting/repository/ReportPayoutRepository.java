package se.regionorebrolan.bhv.reporting.repository;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.reporting.domain.PayoutLines;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** All SQL of {@code report_payout_line} (every line once) and {@code payout_summary} (lines added up per month). */
@ApplicationScoped
public class ReportPayoutRepository {

    /**
     * The state-grant money of a year (lines for the year's visits and fixed months, wherever paid), what of it was
     * paid after the year ended, and what the year's months paid for other years (counted in those years): sums in
     * öre and numbers of lines.
     */
    public record StateGrant(long forYearOre, long forYearLines, long otherYearsOre, long otherYearsLines,
                             long paidAfterOre, long paidAfterLines) {
    }

    /** A centre's money for a year: fixed compensation, and visit money. */
    public record CentreMoney(long fixedOre, long visitsOre) {
    }

    /** One state-grant line of the evidence export. */
    public record EvidenceRow(long lineId, String centreId, String period, String kind, long amountOre,
                              String ruleSet, UUID visitId, LocalDate visitDate, String childPseudonym) {
    }

    public static Uni<StateGrant> stateGrant(SqlClient sql, int year) {
        return sql.preparedQuery("""
                        SELECT coalesce(sum(amount_ore) FILTER (WHERE for_year = $1), 0)::bigint,
                               coalesce(sum(lines) FILTER (WHERE for_year = $1), 0)::bigint,
                               coalesce(sum(amount_ore) FILTER (WHERE for_year <> $1 AND period BETWEEN $2 AND $3),
                                        0)::bigint,
                               coalesce(sum(lines) FILTER (WHERE for_year <> $1 AND period BETWEEN $2 AND $3), 0)::bigint,
                               coalesce(sum(amount_ore) FILTER (WHERE for_year = $1 AND period > $3), 0)::bigint,
                               coalesce(sum(lines) FILTER (WHERE for_year = $1 AND period > $3), 0)::bigint
                        FROM payout_summary
                        WHERE funding_source = 'STATE_GRANT' AND (for_year = $1 OR period BETWEEN $2 AND $3)""")
                .execute(Tuple.of(year, year + "-01", year + "-12"))
                .map(rows -> {
                    var r = rows.iterator().next();
                    return new StateGrant(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4),
                            r.getLong(5));
                });
    }

    /** Each centre's money for the year (wherever paid). */
    public static Uni<Map<String, CentreMoney>> byCentre(SqlClient sql, int year) {
        return sql.preparedQuery("""
                        SELECT centre_id, coalesce(sum(amount_ore) FILTER (WHERE money_kind = 'FIXED_MONTHLY'), 0)::bigint,
                               coalesce(sum(amount_ore) FILTER (WHERE money_kind <> 'FIXED_MONTHLY'), 0)::bigint
                        FROM payout_summary WHERE for_year = $1 GROUP BY centre_id""")
                .execute(Tuple.of(year))
                .map(rows -> {
                    Map<String, CentreMoney> money = new HashMap<>();
                    rows.forEach(r -> money.put(r.getString(0), new CentreMoney(r.getLong(1), r.getLong(2))));
                    return money;
                });
    }

    /** What a centre was paid in a month (by the month of payment), all kinds of money together. */
    public record CentrePayout(String centreId, String period, long amountOre, long lines) {
    }

    /** The payouts of the year's months per centre (of one centre, or all when null), by month of payment. */
    public static Uni<List<CentrePayout>> paidByMonth(SqlClient sql, int year, String centreId) {
        return sql.preparedQuery("""
                        SELECT centre_id, period, sum(amount_ore)::bigint, sum(lines)::bigint FROM payout_summary
                        WHERE period BETWEEN $1 AND $2 AND ($3::text IS NULL OR centre_id = $3)
                        GROUP BY 1, 2 ORDER BY 1, 2""")
                .execute(Tuple.of(year + "-01", year + "-12", centreId))
                .map(rows -> {
                    List<CentrePayout> paid = new ArrayList<>();
                    rows.forEach(r -> paid.add(new CentrePayout(r.getString(0), r.getString(1), r.getLong(2),
                            r.getLong(3))));
                    return paid;
                });
    }

    /** The fixed compensation paid for each month of the year that has any, over all centres. */
    public static Uni<Map<String, Long>> fixedByMonth(SqlClient sql, int year) {
        return sql.preparedQuery("SELECT for_period, sum(amount_ore)::bigint FROM payout_summary"
                        + " WHERE for_year = $1 AND money_kind = 'FIXED_MONTHLY' GROUP BY 1")
                .execute(Tuple.of(year)).map(rows -> {
                    Map<String, Long> paid = new HashMap<>();
                    rows.forEach(r -> paid.put(r.getString(0), r.getLong(1)));
                    return paid;
                });
    }

    /** The year's state-grant lines in line order, read from a cursor 5 000 rows at a time (never all in memory). */
    public static Multi<EvidenceRow> evidence(SqlConnection conn, int year) {
        return conn.prepare("""
                        SELECT line_id, centre_id, period, kind, amount_ore, rule_set, visit_id, visit_date,
                               child_pseudonym
                        FROM report_payout_line WHERE funding_source = 'STATE_GRANT' AND for_year = $1
                        ORDER BY line_id""")
                .onItem().transformToMulti(statement -> statement.createStream(5_000, Tuple.of(year)).toMulti())
                .map(r -> new EvidenceRow(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                        r.getString(5), r.getUUID(6), r.getLocalDate(7), r.getString(8)));
    }

    /** Stores the lines not stored before, and adds them to the month's summary. */
    public static Uni<Void> insert(SqlConnection conn, List<PayoutLineBookedData> lines) {
        int n = lines.size();
        Long[] id = new Long[n], amount = new Long[n];
        String[] centre = new String[n], period = new String[n], kind = new String[n], funding = new String[n],
                ruleSet = new String[n], pseudonym = new String[n], forPeriod = new String[n], moneyKind = new String[n];
        UUID[] visit = new UUID[n];
        LocalDate[] date = new LocalDate[n];
        for (int i = 0; i < n; i++) {
            PayoutLineBookedData l = lines.get(i);
            id[i] = l.lineId();
            centre[i] = l.centreId();
            period[i] = l.period();
            kind[i] = l.kind();
            amount[i] = l.amount().setScale(2).unscaledValue().longValueExact();
            funding[i] = l.fundingSource();
            ruleSet[i] = l.ruleSet() == null ? "" : l.ruleSet();
            visit[i] = l.visitId();
            date[i] = l.visitDate();
            pseudonym[i] = l.childPseudonym();
            forPeriod[i] = PayoutLines.forPeriod(l);
            moneyKind[i] = PayoutLines.moneyKind(l);
        }
        // the lines inserted now (not those seen before) are added to the summary, in key order (no deadlocks)
        return conn.preparedQuery("""
                        WITH inserted AS (
                            INSERT INTO report_payout_line (line_id, centre_id, period, kind, amount_ore,
                                funding_source, rule_set, visit_id, visit_date, child_pseudonym, for_period, money_kind)
                            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                                                 $6::text[], $7::text[], $8::uuid[], $9::date[], $10::text[],
                                                 $11::text[], $12::text[])
                            ON CONFLICT (line_id) DO NOTHING
                            RETURNING period, centre_id, kind, money_kind, funding_source, for_period, amount_ore)
                        INSERT INTO payout_summary AS s (period, centre_id, kind, money_kind, funding_source,
                                                         for_period, amount_ore, lines)
                        SELECT period, centre_id, kind, money_kind, funding_source, for_period, sum(amount_ore),
                               count(*)
                        FROM inserted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
                        ON CONFLICT (period, centre_id, kind, money_kind, funding_source, for_period) DO UPDATE SET
                            amount_ore = s.amount_ore + EXCLUDED.amount_ore, lines = s.lines + EXCLUDED.lines""")
                .execute(Tuple.from(new Object[] {id, centre, period, kind, amount, funding, ruleSet, visit, date,
                        pseudonym, forPeriod, moneyKind}))
                .replaceWithVoid();
    }
}
