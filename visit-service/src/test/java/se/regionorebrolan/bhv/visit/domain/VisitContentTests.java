package se.regionorebrolan.bhv.visit.domain;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Referral;
import se.regionorebrolan.bhv.events.VisitData;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "The same visit": the content sent again equals the stored state apart from id and revision, and nothing else does. */
class VisitContentTests {

    private static final Participant NURSE = new Participant(ParticipantRole.BHV_NURSE, "SE-N1", null);
    private static final Participant SOCIAL = new Participant(ParticipantRole.SOCIAL_SERVICES, null, "Örebro kommun");

    private static VisitData content(List<Participant> participants, List<String> kva) {
        return new VisitData(null, 0, "cosmic", "ENC-1", "SE2321000164-E000000000001", "p1:pseudonym",
                LocalDate.of(2026, 1, 15), LocalDate.of(2026, 3, 16), ProgramSlot.MONTH_2, false, participants, kva,
                List.of(Referral.PRESCHOOL), true, List.of("FIRST_TIME_PARENT"), "p1");
    }

    /** The state as visit-service stores it (under its id and a revision) and reads it back. */
    private static VisitData stored(VisitData content, int revision) {
        return EventCodec.fromJson(EventCodec.json(VisitContent.withIdentity(content, UUID.randomUUID(), revision)),
                VisitData.class);
    }

    @Test
    void theSameContentSentAgainIsTheStoredVisitWhateverItsIdAndRevision() {
        VisitData sent = content(List.of(NURSE, SOCIAL), List.of("ZV509"));
        assertTrue(VisitContent.same(stored(sent, 1), content(List.of(NURSE, SOCIAL), List.of("ZV509"))));
        assertTrue(VisitContent.same(stored(sent, 3), sent));
    }

    @Test
    void anyOtherContentIsAnotherVisit() {
        VisitData sent = content(List.of(NURSE, SOCIAL), List.of("ZV509"));
        assertFalse(VisitContent.same(stored(sent, 1), content(List.of(NURSE), List.of("ZV509"))));
        assertFalse(VisitContent.same(stored(sent, 1), content(List.of(SOCIAL, NURSE), List.of("ZV509"))));
        assertFalse(VisitContent.same(stored(sent, 1), content(List.of(NURSE, SOCIAL), List.of())));
        assertFalse(VisitContent.same(stored(sent, 1), content(List.of(NURSE, SOCIAL), null)));
    }
}
