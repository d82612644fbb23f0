package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.compensation.domain.Rates;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.compensation.TestVisits;
import se.regionorebrolan.bhv.compensation.domain.CompensationModel;
import se.regionorebrolan.bhv.compensation.domain.PricedLine.FundingSource;
import se.regionorebrolan.bhv.compensation.domain.PricedLine.LineKind;
import se.regionorebrolan.bhv.events.ProgramSlot;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RebookingTests {

    private static final Rates R1 = PayoutPricingTests.R1;

    private static PricedLine price(boolean socialServices, String codes, CompensationModel model) {
        return PayoutPricing.price(TestVisits.visit(ProgramSlot.MONTH_2, socialServices, codes), model, R1);
    }

    private static long net(List<PricedLine> lines, FundingSource funding) {
        return lines.stream().filter(l -> l.fundingSource() == funding).mapToLong(PricedLine::amountOre).sum();
    }

    @Test
    void aCorrectionThatAddsZv509IsAnAdjustmentOfPlus700() {
        List<PricedLine> booked = new ArrayList<>(List.of(price(true, null, CompensationModel.VARIABLE)));
        List<PricedLine> rebooked = Rebooking.rebook(booked, price(true, "ZV509", CompensationModel.VARIABLE), "test");

        assertEquals(2, rebooked.size());
        assertEquals(LineKind.ADJUSTMENT, rebooked.get(0).kind());
        assertEquals(-180_000, rebooked.get(0).amountOre());
        assertEquals(LineKind.JOINT_VISIT, rebooked.get(1).kind());
        assertEquals(70_000, rebooked.stream().mapToLong(PricedLine::amountOre).sum(), "the correction nets +700.00");
        booked.addAll(rebooked);
        assertEquals(250_000, booked.stream().mapToLong(PricedLine::amountOre).sum(), "the visit now costs 2500.00");
        assertEquals(0, net(booked, FundingSource.ORDINARY), "the ordinary budget carries nothing");
        assertEquals(250_000, net(booked, FundingSource.STATE_GRANT), "the state grant carries the joint visit");
    }

    @Test
    void aCorrectionThatKeepsThePriceBooksNothing() {
        List<PricedLine> booked = List.of(price(true, "ZV509", CompensationModel.VARIABLE));
        assertTrue(Rebooking.rebook(booked, price(true, "ZV509", CompensationModel.VARIABLE), "test").isEmpty());
    }

    @Test
    void aRetractionReversesWhatStandsAndAgainReversesNothing() {
        List<PricedLine> booked = new ArrayList<>(List.of(price(true, null, CompensationModel.VARIABLE)));
        booked.addAll(Rebooking.rebook(booked, price(true, "ZV509", CompensationModel.VARIABLE), "test"));
        booked.addAll(Rebooking.rebook(booked, null, "retracted"));
        assertEquals(0, net(booked, FundingSource.ORDINARY));
        assertEquals(0, net(booked, FundingSource.STATE_GRANT));
        assertTrue(Rebooking.rebook(booked, null, "retracted").isEmpty());
    }

    @Test
    void aCorrectionAfterARetractionBooksTheNewPriceInFull() {
        List<PricedLine> booked = new ArrayList<>(List.of(price(false, null, CompensationModel.VARIABLE)));
        booked.addAll(Rebooking.rebook(booked, null, "retracted"));
        List<PricedLine> again = Rebooking.rebook(booked, price(false, null, CompensationModel.VARIABLE), "test");
        assertEquals(List.of(price(false, null, CompensationModel.VARIABLE)), again);
    }
}
