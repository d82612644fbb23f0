package se.regionorebrolan.bhv.compensation;

import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.VisitData;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Visits as visit-service publishes them, for tests. */
public final class TestVisits {

    private TestVisits() {
    }

    public static VisitData visit(ProgramSlot slot, boolean socialServices, String codes) {
        return visit("SE2321000164-E000000000001", slot, socialServices, codes);
    }

    public static VisitData visit(String centreId, ProgramSlot slot, boolean socialServices, String codes) {
        List<Participant> participants = new ArrayList<>();
        participants.add(new Participant(ParticipantRole.BHV_NURSE, "SE2321000164-N0000001", null));
        if (socialServices) {
            participants.add(new Participant(ParticipantRole.SOCIAL_SERVICES, null, "Örebro kommun"));
        }
        List<String> kva = codes == null ? List.of() : List.of(codes.split(" "));
        UUID visitId = UUID.randomUUID();
        String pseudonym = visitId.toString().replace("-", "").repeat(2); // 64 hex digits, like an HMAC-SHA-256
        return new VisitData(visitId, 1, "cosmic", "ENC-" + visitId, centreId, pseudonym,
                LocalDate.of(2026, 1, 15), LocalDate.of(2026, 3, 16), slot, false, participants, kva, List.of(),
                false, List.of());
    }
}
