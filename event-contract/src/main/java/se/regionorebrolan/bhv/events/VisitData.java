package se.regionorebrolan.bhv.events;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The full state of a visit: the data of {@code VisitRecorded} and {@code VisitCorrected}.
 * The child is known only by a keyed pseudonym (and the id of the key that made it, {@code childPseudonymKeyId},
 * added in the second round) and the birth date; never by personnummer.
 */
public record VisitData(
        UUID visitId,
        int revision,
        String sourceSystem,
        String sourceVisitId,
        String centreId,
        String childPseudonym,
        LocalDate childBirthDate,
        LocalDate visitDate,
        ProgramSlot programSlot,
        boolean programSlotInferred,
        List<Participant> participants,
        List<String> kvaCodes,
        List<Referral> referrals,
        boolean interpreterUsed,
        List<String> riskFactors,
        String childPseudonymKeyId) {

    /** A visit without its pseudonym's key id (as written before the second round). */
    public VisitData(UUID visitId, int revision, String sourceSystem, String sourceVisitId, String centreId,
                     String childPseudonym, LocalDate childBirthDate, LocalDate visitDate, ProgramSlot programSlot,
                     boolean programSlotInferred, List<Participant> participants, List<String> kvaCodes,
                     List<Referral> referrals, boolean interpreterUsed, List<String> riskFactors) {
        this(visitId, revision, sourceSystem, sourceVisitId, centreId, childPseudonym, childBirthDate, visitDate,
                programSlot, programSlotInferred, participants, kvaCodes, referrals, interpreterUsed, riskFactors, null);
    }

    /** Social services took part in the visit: a joint home visit (whether it was coded ZV509 is another matter). */
    public boolean socialServicesTookPart() {
        return participants != null && participants.stream().anyMatch(p -> p.role() == ParticipantRole.SOCIAL_SERVICES);
    }

    public boolean hasKvaCode(String code) {
        return kvaCodes != null && kvaCodes.contains(code);
    }
}
