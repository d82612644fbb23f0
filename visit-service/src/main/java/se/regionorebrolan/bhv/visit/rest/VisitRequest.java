package se.regionorebrolan.bhv.visit.rest;

import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Referral;

import java.time.LocalDate;
import java.util.List;

/** A home visit as an EHR integration posts it (CONTRACT.md). */
public record VisitRequest(
        String sourceSystem,
        String sourceVisitId,
        String centreId,
        String childPersonnummer,
        LocalDate visitDate,
        ProgramSlot programSlot,
        List<Participant> participants,
        List<String> kvaCodes,
        List<Referral> referrals,
        Boolean interpreterUsed,
        List<String> riskFactors) {

    @Override
    public String toString() {
        return "VisitRequest[" + sourceSystem + "/" + sourceVisitId + ", childPersonnummer=redacted]";
    }
}
