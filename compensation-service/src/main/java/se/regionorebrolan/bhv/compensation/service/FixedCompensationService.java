package se.regionorebrolan.bhv.compensation.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.compensation.model.Centre;
import se.regionorebrolan.bhv.compensation.model.ClosedPeriod;
import se.regionorebrolan.bhv.compensation.model.CompensationModel;
import se.regionorebrolan.bhv.compensation.model.FixedYearlyAmount;
import se.regionorebrolan.bhv.compensation.model.PayoutLine;
import se.regionorebrolan.bhv.compensation.model.RuleSet;

import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Books fixed compensation: once per centre and month a {@code FIXED_MONTHLY} line with the centre's share of the
 * month's part of the yearly amount ({@link FixedCompensation}). Runs for every month of the year so far, every
 * hour and on demand; a month already booked for a centre is never booked again (also guarded by a unique index).
 */
@ApplicationScoped
public class FixedCompensationService {

    private static final Logger LOG = Logger.getLogger(FixedCompensationService.class);

    /** The months of this year up to the current one, each booked where it is not yet. */
    @Scheduled(every = "${bhv.fixed-compensation.interval:1h}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> bookYearSoFar() {
        YearMonth now = YearMonth.from(SwedishCalendar.today());
        return Multi.createFrom().range(1, now.getMonthValue() + 1)
                .onItem().transformToUniAndConcatenate(m -> book(YearMonth.of(now.getYear(), m)))
                .collect().last()
                .onFailure().invoke(f -> LOG.warnf("booking fixed compensation failed, the next run retries: %s", f))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Books the month's fixed compensation where it is not yet booked; answers the lines booked now. */
    @WithTransaction
    public Uni<List<PayoutLine>> book(YearMonth month) {
        return BookingService.lockFeed()
                .chain(() -> FixedYearlyAmount.<FixedYearlyAmount>findById(month.getYear()))
                .chain(yearly -> yearly == null
                        ? Uni.createFrom().item(List.<PayoutLine>of())
                        : RuleSet.validOn(month.atDay(1)).chain(rules -> rules == null
                                ? Uni.createFrom().item(List.<PayoutLine>of())
                                : Centre.<Centre>listAll().chain(centres -> booked(month).chain(done ->
                                        ClosedPeriod.all().chain(closed ->
                                                persist(month, yearly, rules, centres, done, closed))))));
    }

    /** Whether any fixed line of the year is booked: the yearly amount can then no longer change. */
    public static Uni<Boolean> anyBooked(int year) {
        return PayoutLine.count("visitId is null and correctsLineId is null and forPeriod like ?1", year + "-%")
                .map(n -> n > 0);
    }

    /** The centres whose fixed compensation for the month is booked (paid in that month or, if closed, later). */
    private static Uni<Set<String>> booked(YearMonth month) {
        return PayoutLine.<PayoutLine>list("visitId is null and correctsLineId is null and forPeriod = ?1",
                month.toString()).map(lines -> lines.stream().map(l -> l.centreId).collect(Collectors.toSet()));
    }

    private static Uni<List<PayoutLine>> persist(YearMonth month, FixedYearlyAmount yearly, RuleSet rules,
                                                 List<Centre> centres, Set<String> alreadyBooked,
                                                 Set<String> closed) {
        FixedCompensation.Weighting weighting = FixedCompensation.Weighting.valueOf(rules.fixedWeighting);
        List<FixedCompensation.FixedCentre> candidates = centres.stream()
                .map(c -> new FixedCompensation.FixedCentre(c.centreId, c.compensationModel == CompensationModel.FIXED_EXTENDED,
                        c.childCni, c.listedChildren0to5, c.fixedApprovedFrom)).toList();
        long part = FixedCompensation.monthlyPart(yearly.amountOre, month);
        List<PayoutLine> lines = new ArrayList<>();
        for (FixedCompensation.Share share : FixedCompensation.shares(yearly.amountOre, month, candidates,
                rules.cniThreshold, weighting)) {
            if (alreadyBooked.contains(share.centreId()) || share.amountOre() == 0) {
                continue;
            }
            PayoutLine line = new PayoutLine();
            line.centreId = share.centreId();
            line.kind = PricedLine.LineKind.FIXED_MONTHLY.name();
            line.amountOre = share.amountOre();
            line.fundingSource = PricedLine.FundingSource.STATE_GRANT.name();
            line.ruleSetId = rules.ruleSetId;
            line.reason = "fixed compensation with extended resource, " + month + ": weight " + share.weight()
                    .stripTrailingZeros().toPlainString() + " of " + share.totalWeight().stripTrailingZeros().toPlainString()
                    + (weighting == FixedCompensation.Weighting.CNI ? " (child-CNI)" : " (listed children 0-5 x child-CNI)")
                    + " of the month's part " + Money.sek(part) + " (1/12 of " + Money.sek(yearly.amountOre) + ")";
            line.flags = "";
            line.bookedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Periods.Placement placed = Periods.place(month, line.kind, line.reason, closed);
            line.period = placed.period();
            line.forPeriod = placed.forPeriod();
            line.kind = placed.kind();
            line.reason = placed.reason();
            lines.add(line);
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PayoutLine line : lines) {
            chain = chain.chain(() -> line.persist()).replaceWithVoid();
        }
        return chain.replaceWith(lines);
    }
}
