package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.repository.CentreRepository;
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
import se.regionorebrolan.bhv.compensation.domain.PayoutLine;
import se.regionorebrolan.bhv.compensation.domain.RefusedException;
import se.regionorebrolan.bhv.compensation.domain.RuleSet;
import se.regionorebrolan.bhv.compensation.repository.FixedYearlyAmountRepository;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.compensation.repository.PeriodRepository;
import se.regionorebrolan.bhv.compensation.repository.RuleSetRepository;
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

    /** What a settlement reads: the yearly amounts, the rule sets and the centres' histories. */
    private record Inputs(Map<Integer, Long> yearly, List<RuleSet> rules, Map<String, CentreHistory> centres) {

        /**
         * The month as it should stand; null when the year has no amount. Without a rule set in force on its first
         * day no centre is eligible: the part is unpaid (and shown so).
         */
        Month month(YearMonth month) {
            Long amount = yearly.get(month.getYear());
            RuleSet r = rules.stream().filter(x -> !x.validFrom().isAfter(month.atDay(1))).reduce((a, b) -> b).orElse(null);
            if (amount == null) {
                return null;
            }
            if (r == null) {
                return new Month(month, FixedCompensation.monthlyPart(amount, month), List.of(), null);
            }
            List<FixedCompensation.FixedCentre> candidates = centres.values().stream()
                    .map(h -> FixedCompensation.FixedCentre.of(h, month)).toList();
            return new Month(month, FixedCompensation.monthlyPart(amount, month),
                    FixedCompensation.shares(amount, month, candidates, r.cniThreshold(), r.fixedWeighting()), r.ruleSetId());
        }
    }

    private final Pool pool;
    private final PayoutLineRepository lines;

    public FixedCompensationService(Pool pool, PayoutLineRepository lines) {
        this.pool = pool;
        this.lines = lines;
    }

    /**
     * Sets the year's amount (201 the first time, 200 after), refused once a month of the year is booked with
     * another amount; then books the months so far.
     */
    public Uni<Boolean> setYearly(FixedYearlyAmountRepository.YearlyAmount amount) {
        int year = amount.year();
        return pool.withTransaction(conn -> PayoutLineRepository.lockFeed(conn)
                .chain(() -> FixedYearlyAmountRepository.find(conn, year))
                .chain(existing -> lines.anyFixedIn(conn, year).chain(booked -> {
                    if (existing != null && existing.amountOre() != amount.amountOre() && booked) {
                        throw new RefusedException("fixed compensation of " + year + " is booked for at least one"
                                + " month: the yearly amount can no longer change");
                    }
                    return FixedYearlyAmountRepository.save(conn, amount).replaceWith(existing == null);
                })))
                .call(this::settleAll);
    }

    /** The year's amount, or null. */
    public Uni<FixedYearlyAmountRepository.YearlyAmount> yearly(int year) {
        return FixedYearlyAmountRepository.find(pool, year);
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
        return pool.withTransaction(conn -> PayoutLineRepository.lockFeed(conn).chain(() -> inputs(conn)).chain(inputs -> {
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
        return pool.withTransaction(conn -> PayoutLineRepository.lockFeed(conn).chain(() -> inputs(conn))
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

    private static Uni<Inputs> inputs(SqlConnection conn) {
        Map<Integer, Long> yearly = new HashMap<>();
        List<RuleSet> rules = new ArrayList<>();
        return FixedYearlyAmountRepository.all(conn).invoke(yearly::putAll)
                .chain(() -> RuleSetRepository.all(conn)).invoke(rules::addAll)
                .chain(() -> CentreRepository.histories(conn, true))
                .map(centres -> new Inputs(yearly, rules, centres));
    }

    private static Uni<List<PayoutLine>> settle(SqlConnection conn, Inputs inputs, List<YearMonth> months) {
        Map<String, Map<String, Booked>> booked = new HashMap<>();
        Set<String> closed = new HashSet<>();
        return PayoutLineRepository.fixedStanding(conn, months.stream().map(YearMonth::toString).toList())
                .invoke(rows -> rows.forEach(r -> booked.computeIfAbsent(r.forPeriod(), p -> new TreeMap<>())
                        .put(r.centreId(), new Booked(r.netOre(), r.lastLineId()))))
                .chain(() -> PeriodRepository.closed(conn)).invoke(closed::addAll)
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
                    return PayoutLineRepository.book(conn, lines).invoke(now -> {
                        if (!now.isEmpty()) {
                            LOG.infof("fixed compensation: %d line(s) booked", now.size());
                        }
                    });
                });
    }

    private static PayoutLine line(Month target, Delta delta, Booked stood, Set<String> closed) {
        YearMonth month = target.month();
        String share = delta.share() == null ? "no longer eligible for the month (no approved fixed model in it, or a"
                + " child-CNI not above the threshold)" : "weight " + plain(delta.share().weight()) + " of "
                + plain(delta.share().totalWeight()) + " of the month's part " + Money.sek(target.partOre());
        String period;
        String forPeriod;
        String kind;
        String reason;
        if (delta.correctsLineId() == null) {
            Periods.Placement placed = Periods.place(month, PricedLine.LineKind.FIXED_MONTHLY.name(),
                    "fixed compensation with extended resource, " + month + ": " + share, closed);
            period = placed.period();
            forPeriod = placed.forPeriod();
            kind = placed.kind();
            reason = placed.reason();
        } else {
            period = Periods.firstOpen(month, closed).toString();
            forPeriod = month.toString();
            kind = PricedLine.LineKind.ADJUSTMENT.name();
            reason = "re-split of the fixed compensation for " + month + " (who is eligible, or the weights,"
                    + " changed): " + share + "; " + Money.sek(stood.netOre()) + " stood booked";
        }
        String adjusted = PricedLine.LineKind.ADJUSTMENT.name().equals(kind) ? PricedLine.LineKind.FIXED_MONTHLY.name()
                : null;
        return new PayoutLine(0, delta.centreId(), period, forPeriod, kind, delta.amountOre(),
                PricedLine.FundingSource.STATE_GRANT.name(), target.ruleSetId(), reason, "", null, 0, null, null,
                delta.correctsLineId(), null, null, adjusted, null);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
