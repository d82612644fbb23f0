package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.domain.Money;
import se.regionorebrolan.bhv.compensation.domain.Periods;
import se.regionorebrolan.bhv.compensation.domain.PricedLine;

import se.regionorebrolan.bhv.compensation.domain.CentreHistory;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation;
import se.regionorebrolan.bhv.compensation.domain.SwedishCalendar;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.compensation.model.PayoutLine;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Booked;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Delta;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation.Share;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Books fixed compensation ({@link FixedCompensation}): every month of every year that has a yearly amount, up to the
 * current month, is settled so that what stands booked for it is its part, shared among the centres eligible in it
 * as the decisions and figures say now. The first settlement of a month books one {@code FIXED_MONTHLY} line per
 * centre; a later change of who is eligible (a back-dated approval, an ended approval, changed figures) books
 * {@code ADJUSTMENT} lines that re-split the month, in the first open month, so the month never pays more or less than
 * its part. Runs every hour, after every decision, figure or yearly amount, and on demand; settling twice books
 * nothing the second time.
 */
@ApplicationScoped
public class FixedCompensationService {

    private static final Logger LOG = Logger.getLogger(FixedCompensationService.class);

    /** A month of the year: its part, what its eligible centres get, and the part left unpaid (no eligible centre). */
    public record Month(YearMonth month, long partOre, List<Share> shares, String ruleSetId) {

        public long paidOre() {
            return shares.stream().mapToLong(Share::amountOre).sum();
        }

        public long unpaidOre() {
            return partOre - paidOre();
        }
    }

    private record Rules(LocalDate validFrom, String ruleSetId, BigDecimal cniThreshold,
                         FixedCompensation.Weighting weighting) {
    }

    /** What a settlement reads: the yearly amounts, the rule sets and the centres' histories. */
    private record Inputs(Map<Integer, Long> yearly, List<Rules> rules, Map<String, CentreHistory> centres) {

        /**
         * The month as it should stand; null when the year has no amount. Without a rule set in force on its first
         * day no centre is eligible: the part is unpaid (and shown so).
         */
        Month month(YearMonth month) {
            Long amount = yearly.get(month.getYear());
            Rules r = rules.stream().filter(x -> !x.validFrom().isAfter(month.atDay(1))).reduce((a, b) -> b).orElse(null);
            if (amount == null) {
                return null;
            }
            if (r == null) {
                return new Month(month, FixedCompensation.monthlyPart(amount, month), List.of(), null);
            }
            List<FixedCompensation.FixedCentre> candidates = centres.values().stream()
                    .map(h -> FixedCompensation.FixedCentre.of(h, month)).toList();
            return new Month(month, FixedCompensation.monthlyPart(amount, month),
                    FixedCompensation.shares(amount, month, candidates, r.cniThreshold(), r.weighting()), r.ruleSetId());
        }
    }

    private final Pool pool;

    public FixedCompensationService(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(every = "${bhv.fixed-compensation.interval:1h}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return settleAll()
                .onFailure().invoke(f -> LOG.warnf("settling fixed compensation failed, the next run retries: %s", f))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Settles every month so far of every year that has an amount; answers the lines booked now. */
    public Uni<List<PayoutLine>> settleAll() {
        YearMonth now = YearMonth.from(SwedishCalendar.today());
        return pool.withTransaction(conn -> lockFeed(conn).chain(() -> inputs(conn)).chain(inputs -> {
            List<YearMonth> months = new ArrayList<>();
            for (int year : new java.util.TreeSet<>(inputs.yearly().keySet())) {
                for (int m = 1; m <= 12 && !YearMonth.of(year, m).isAfter(now); m++) {
                    months.add(YearMonth.of(year, m));
                }
            }
            return settle(conn, inputs, months);
        }));
    }

    /** Settles one month (on demand); answers the lines booked now, none when it stood as it should. */
    public Uni<List<PayoutLine>> settle(YearMonth month) {
        return pool.withTransaction(conn -> lockFeed(conn).chain(() -> inputs(conn))
                .chain(inputs -> settle(conn, inputs, List.of(month))));
    }

    /** The year month by month as it should stand now (what {@link #settleAll} books towards). */
    public Uni<List<Month>> year(int year) {
        return pool.withConnection(conn -> inputs(conn).map(inputs -> {
            List<Month> months = new ArrayList<>();
            for (int m = 1; m <= 12; m++) {
                Month month = inputs.month(YearMonth.of(year, m));
                if (month != null) {
                    months.add(month);
                }
            }
            return months;
        }));
    }

    private static Uni<Void> lockFeed(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(BookingService.FEED_LOCK))
                .replaceWithVoid();
    }

    private static Uni<Inputs> inputs(SqlConnection conn) {
        Map<Integer, Long> yearly = new HashMap<>();
        List<Rules> rules = new ArrayList<>();
        return conn.query("SELECT year, amount_ore FROM fixed_yearly_amount").execute()
                .invoke(rows -> rows.forEach(r -> yearly.put(r.getInteger(0), r.getLong(1))))
                .chain(() -> conn.query("SELECT valid_from, rule_set_id, cni_threshold, fixed_weighting FROM rule_set"
                        + " ORDER BY valid_from").execute())
                .invoke(rows -> rows.forEach(r -> rules.add(new Rules(r.getLocalDate(0), r.getString(1),
                        r.getBigDecimal(2), FixedCompensation.Weighting.valueOf(r.getString(3))))))
                .chain(() -> CentreHistories.all(conn, true))
                .map(centres -> new Inputs(yearly, rules, centres));
    }

    private static Uni<List<PayoutLine>> settle(SqlConnection conn, Inputs inputs, List<YearMonth> months) {
        String[] periods = months.stream().map(YearMonth::toString).toArray(String[]::new);
        Map<String, Map<String, Booked>> booked = new HashMap<>();
        Set<String> closed = new HashSet<>();
        return conn.preparedQuery("SELECT for_period, centre_id, sum(amount_ore)::bigint, max(line_id) FROM payout_line"
                        + " WHERE visit_id IS NULL AND for_period = ANY($1) GROUP BY 1, 2")
                .execute(Tuple.of((Object) periods))
                .invoke(rows -> rows.forEach(r -> booked.computeIfAbsent(r.getString(0), p -> new TreeMap<>())
                        .put(r.getString(1), new Booked(r.getLong(2), r.getLong(3)))))
                .chain(() -> conn.query("SELECT period FROM closed_period").execute())
                .invoke(rows -> rows.forEach(r -> closed.add(r.getString(0))))
                .chain(() -> {
                    List<PayoutLine> lines = new ArrayList<>();
                    for (YearMonth month : months) {
                        Month target = inputs.month(month);
                        Map<String, Booked> stands = booked.getOrDefault(month.toString(), Map.of());
                        if (target == null) {
                            continue; // no amount for the year: nothing to pay
                        }
                        for (Delta delta : FixedCompensation.settle(target.shares(), stands)) {
                            lines.add(line(target, delta, stands.get(delta.centreId()), closed));
                        }
                    }
                    return insert(conn, lines);
                });
    }

    private static PayoutLine line(Month target, Delta delta, Booked stood, Set<String> closed) {
        YearMonth month = target.month();
        PayoutLine line = new PayoutLine();
        line.centreId = delta.centreId();
        line.amountOre = delta.amountOre();
        line.fundingSource = PricedLine.FundingSource.STATE_GRANT.name();
        line.ruleSetId = target.ruleSetId();
        line.flags = "";
        String share = delta.share() == null ? "no longer eligible for the month (no approved fixed model in it, or a"
                + " child-CNI not above the threshold)" : "weight " + plain(delta.share().weight()) + " of "
                + plain(delta.share().totalWeight()) + " of the month's part " + Money.sek(target.partOre());
        if (delta.correctsLineId() == null) {
            Periods.Placement placed = Periods.place(month, PricedLine.LineKind.FIXED_MONTHLY.name(),
                    "fixed compensation with extended resource, " + month + ": " + share, closed);
            line.period = placed.period();
            line.forPeriod = placed.forPeriod();
            line.kind = placed.kind();
            line.reason = placed.reason();
        } else {
            line.period = Periods.firstOpen(month, closed).toString();
            line.forPeriod = month.toString();
            line.kind = PricedLine.LineKind.ADJUSTMENT.name();
            line.correctsLineId = delta.correctsLineId();
            line.reason = "re-split of the fixed compensation for " + month + " (who is eligible, or the weights,"
                    + " changed): " + share + "; " + Money.sek(stood.netOre()) + " stood booked";
        }
        if (PricedLine.LineKind.ADJUSTMENT.name().equals(line.kind)) {
            line.adjustedKind = PricedLine.LineKind.FIXED_MONTHLY.name();
        }
        return line;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /** Inserts the lines in their order (ids drawn in that order under the feed lock); answers them as booked. */
    private static Uni<List<PayoutLine>> insert(SqlConnection conn, List<PayoutLine> lines) {
        if (lines.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery("""
                        INSERT INTO payout_line (centre_id, period, for_period, kind, amount_ore, funding_source,
                            rule_set_id, reason, flags, corrects_line_id, adjusted_kind, booked_at)
                        SELECT c, p, f, k, a, s, r, re, '', x, ak, now()
                        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                                    $7::text[], $8::text[], $9::bigint[], $10::text[])
                             WITH ORDINALITY AS t(c, p, f, k, a, s, r, re, x, ak, n)
                        ORDER BY n
                        RETURNING line_id, booked_at""")
                .execute(Tuple.from(new Object[] {
                        lines.stream().map(l -> l.centreId).toArray(String[]::new),
                        lines.stream().map(l -> l.period).toArray(String[]::new),
                        lines.stream().map(l -> l.forPeriod).toArray(String[]::new),
                        lines.stream().map(l -> l.kind).toArray(String[]::new),
                        lines.stream().map(l -> l.amountOre).toArray(Long[]::new),
                        lines.stream().map(l -> l.fundingSource).toArray(String[]::new),
                        lines.stream().map(l -> l.ruleSetId).toArray(String[]::new),
                        lines.stream().map(l -> l.reason).toArray(String[]::new),
                        lines.stream().map(l -> l.correctsLineId).toArray(Long[]::new),
                        lines.stream().map(l -> l.adjustedKind).toArray(String[]::new)}))
                .map(rows -> {
                    List<Row> returned = new ArrayList<>();
                    rows.forEach(returned::add);
                    returned.sort(java.util.Comparator.comparing(r -> r.getLong(0)));
                    for (int i = 0; i < lines.size(); i++) {
                        lines.get(i).lineId = returned.get(i).getLong(0);
                        lines.get(i).bookedAt = returned.get(i).getOffsetDateTime(1).toInstant();
                    }
                    if (!lines.isEmpty()) {
                        LOG.infof("fixed compensation: %d line(s) booked", lines.size());
                    }
                    return lines;
                });
    }

    /** Whether any fixed line of the year is booked: the yearly amount can then no longer change. */
    public static Uni<Boolean> anyBooked(int year) {
        return PayoutLine.count("visitId is null and forPeriod like ?1", year + "-%").map(n -> n > 0);
    }
}
