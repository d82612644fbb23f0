package se.regionorebrolan.bhv.compensation.domain;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.TestVisits;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.VisitData;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The ledger prices a visit by the model in force on its visit date (and a correction by the corrected visit's date),
 * never by the registry as it is today; a correction that changes nothing priced books nothing, also for a line that
 * was booked late into an open month.
 */
class VisitLedgerTests {

    private static final String CENTRE = "SE2321000164-E000000000101";
    /** On the fixed model from 2026-04-01 (approved), variable before. */
    private static final CentreHistory APPROVED_IN_APRIL = new CentreHistory(CENTRE,
            List.of(new CentreHistory.FixedPeriod(LocalDate.of(2026, 4, 1), null, "CBHV 2026/7")),
            List.of(new CentreHistory.Figures(LocalDate.of(2026, 1, 1), new BigDecimal("3.40"), 1450)));
    private static final List<VisitLedger.Rules> RULES = List.of(
            new VisitLedger.Rules(LocalDate.of(2025, 9, 18), PayoutPricingTests.R1));

    private final Map<UUID, List<PayoutLine>> written = new HashMap<>();
    private final Map<UUID, VisitLedger.Seen> seen = new HashMap<>();

    /** Books the events in one ledger, as one batch, and keeps what it wrote for the next batch. */
    private List<PayoutLine> book(Set<String> closed, VisitData... visits) {
        VisitLedger ledger = new VisitLedger(seen, written, Map.of(CENTRE, APPROVED_IN_APRIL), RULES, closed);
        for (VisitData visit : visits) {
            CloudEvent event = EventCodec.envelope(visit.revision() == 1 ? EventType.VISIT_RECORDED
                    : EventType.VISIT_CORRECTED, "/visit-service", visit.visitId().toString(), Instant.now(), visit);
            ledger.apply(event, VisitLedger.data(event), null);
        }
        long id = 1 + written.values().stream().mapToLong(List::size).sum();
        List<PayoutLine> lines = new ArrayList<>();
        Map<Long, Long> ids = new HashMap<>();
        for (PayoutLine l : ledger.newLines()) {
            ids.put(l.lineId(), id);
            Long corrects = l.correctsLineId() == null ? null : ids.getOrDefault(l.correctsLineId(), l.correctsLineId());
            PayoutLine stored = l.booked(id++, corrects, null);
            written.computeIfAbsent(l.visitId(), v -> new ArrayList<>()).add(stored);
            lines.add(stored);
        }
        ledger.newSeen().forEach(s -> seen.put(s.visitId(), s));
        return lines;
    }

    private static VisitData joint(LocalDate date) {
        VisitData v = TestVisits.visit(CENTRE, ProgramSlot.MONTH_2, true, "ZV509");
        return revise(v, 1, date, v.kvaCodes());
    }

    private static VisitData revise(VisitData v, int revision, LocalDate date, List<String> kva) {
        return new VisitData(v.visitId(), revision, v.sourceSystem(), v.sourceVisitId(), v.centreId(),
                v.childPseudonym(), v.childBirthDate(), date, v.programSlot(), false, v.participants(), kva,
                v.referrals(), v.interpreterUsed(), v.riskFactors());
    }

    @Test
    void aJointVisitBeforeTheApprovalIsAJointVisitAndFromItAnOrdinaryOne() {
        List<PayoutLine> march = book(Set.of(), joint(LocalDate.of(2026, 3, 31)));
        List<PayoutLine> april = book(Set.of(), joint(LocalDate.of(2026, 4, 1)));
        assertEquals(List.of("JOINT_VISIT 250000 STATE_GRANT"), summary(march), "variable model on 31 March");
        assertEquals(List.of("ORDINARY_VISIT 180000 ORDINARY"), summary(april), "fixed model from 1 April (rule 2)");
    }

    @Test
    void aCorrectionIsPricedByTheModelOnTheCorrectedVisitDate() {
        VisitData visit = joint(LocalDate.of(2026, 4, 2));
        book(Set.of(), visit);
        // the date was wrong: the visit was in March, before the approval
        List<PayoutLine> corrected = book(Set.of(), revise(visit, 2, LocalDate.of(2026, 3, 20), visit.kvaCodes()));
        assertEquals(List.of("ADJUSTMENT -180000 ORDINARY", "JOINT_VISIT 250000 STATE_GRANT"), summary(corrected));
        assertEquals("2026-04", corrected.get(0).forPeriod(), "reversed where it stood");
        assertEquals("ORDINARY_VISIT", corrected.get(0).adjustedKind());
        assertEquals("2026-03", corrected.get(1).forPeriod());
    }

    @Test
    void aCorrectionThatChangesNothingPricedBooksNothingAlsoForALineBookedLate() {
        VisitData visit = joint(LocalDate.of(2026, 2, 10));
        List<PayoutLine> late = book(Set.of("2026-02"), visit);
        assertEquals(List.of("ADJUSTMENT 250000 STATE_GRANT"), summary(late), "February closed: paid in March");
        assertEquals("2026-03", late.get(0).period());
        assertEquals("JOINT_VISIT", late.get(0).adjustedKind());
        // a new revision with other, unpriced content (a referral added)
        VisitData referral = new VisitData(visit.visitId(), 2, visit.sourceSystem(), visit.sourceVisitId(),
                visit.centreId(), visit.childPseudonym(), visit.childBirthDate(), visit.visitDate(), visit.programSlot(),
                false, visit.participants(), visit.kvaCodes(), List.of(se.regionorebrolan.bhv.events.Referral.DENTAL),
                false, visit.riskFactors());
        assertEquals(List.of(), book(Set.of("2026-02"), referral));
    }

    @Test
    void aVisitAtACentreThatIsNotRegisteredCannotBeBooked() {
        VisitData elsewhere = TestVisits.visit("SE2321000164-E000000000999", ProgramSlot.MONTH_2, true, "ZV509");
        assertThrows(UnbookableEventException.class, () -> book(Set.of(), elsewhere));
    }

    private static List<String> summary(List<PayoutLine> lines) {
        return lines.stream().map(l -> l.kind() + " " + l.amountOre() + " " + l.fundingSource()).toList();
    }
}
