package se.regionorebrolan.bhv.compensation.domain;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.domain.Reconciliation.BookedNet;
import se.regionorebrolan.bhv.compensation.domain.Reconciliation.CentreResult;
import se.regionorebrolan.bhv.compensation.domain.Reconciliation.DifferenceKind;
import se.regionorebrolan.bhv.compensation.domain.Reconciliation.SeenVisit;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReconciliationTests {

    static final String A = "SE2321000164-E000000000001";
    static final String B = "SE2321000164-E000000000002";

    @Test
    void visitsWithTheirMoneyOnTheirOwnCentreAndRetractedOnesNettingToZeroAreNoDifference() {
        UUID paid = UUID.randomUUID();
        UUID retracted = UUID.randomUUID();
        UUID moved = UUID.randomUUID();
        var result = Reconciliation.reconcile("2026-03",
                List.of(new SeenVisit(paid, A, false), new SeenVisit(retracted, A, true), new SeenVisit(moved, B, false)),
                List.of(new BookedNet(paid, A, 250000), new BookedNet(retracted, A, 0),
                        new BookedNet(moved, A, 0), new BookedNet(moved, B, 180000)));
        assertEquals(0, result.differenceCount());
        CentreResult a = result.centres().get(0);
        assertEquals(A, a.centreId());
        assertEquals(2, a.visitsSeen());
        assertEquals(1, a.visitsRetracted());
        assertEquals(1, a.visitsBooked());
        assertEquals(new BigDecimal("2500.00"), a.bookedAmount());
        assertEquals(new BigDecimal("1800.00"), result.centres().get(1).bookedAmount());
    }

    @Test
    void everyKindOfDifferenceIsListedWithItsVisit() {
        UUID unbooked = UUID.randomUUID();
        UUID retractedButPaid = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        UUID unseen = UUID.randomUUID();
        var result = Reconciliation.reconcile("2026-03",
                List.of(new SeenVisit(unbooked, A, false), new SeenVisit(retractedButPaid, A, true),
                        new SeenVisit(elsewhere, B, false)),
                List.of(new BookedNet(retractedButPaid, A, 180000), new BookedNet(elsewhere, A, 250000),
                        new BookedNet(elsewhere, B, 250000), new BookedNet(unseen, B, 180000)));
        assertEquals(4, result.differenceCount());
        var a = result.centres().get(0).differences();
        assertEquals(List.of(DifferenceKind.NOT_BOOKED), a.stream().filter(d -> d.visitId().equals(unbooked))
                .map(Reconciliation.Difference::kind).toList());
        assertEquals(List.of(DifferenceKind.RETRACTED_BUT_BOOKED), a.stream()
                .filter(d -> d.visitId().equals(retractedButPaid)).map(Reconciliation.Difference::kind).toList());
        assertEquals(List.of(DifferenceKind.BOOKED_ON_ANOTHER_CENTRE), a.stream()
                .filter(d -> d.visitId().equals(elsewhere)).map(Reconciliation.Difference::kind).toList());
        var b = result.centres().get(1).differences();
        assertEquals(1, b.size());
        assertEquals(DifferenceKind.BOOKED_BUT_NOT_SEEN, b.get(0).kind());
        assertEquals(new BigDecimal("1800.00"), b.get(0).bookedAmount());
    }
}
