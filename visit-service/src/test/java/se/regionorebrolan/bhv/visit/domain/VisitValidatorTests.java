package se.regionorebrolan.bhv.visit.domain;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Referral;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.visit.rest.VisitRequest;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The visit's validation and what it makes of a valid request, without any infrastructure. */
class VisitValidatorTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);
    private static final Participant NURSE = new Participant(ParticipantRole.BHV_NURSE, "SE2321000164-N0000001", null);

    private static VisitRequest request(String personnummer, LocalDate visitDate, ProgramSlot slot,
                                        List<Participant> participants, List<String> kva, List<String> risks) {
        return new VisitRequest("cosmic", "ENC-1", "SE2321000164-E000000000001", personnummer, visitDate, slot,
                participants, kva, List.of(Referral.DENTAL, Referral.DENTAL, Referral.PRESCHOOL), true, risks);
    }

    private static VisitData valid(VisitRequest request) {
        return VisitValidator.validate(request, TODAY, (child, date) -> new Pseudonymizer.Pseudonym("p-" + date, "k9"));
    }

    private static List<String> fields(VisitRequest request) {
        InvalidVisitException e = assertThrows(InvalidVisitException.class, () -> valid(request));
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aValidRequestBecomesTheEventsDataWithTheSlotInferredAndListsNormalised() {
        // born 2026-01-15; visited 2026-03-16, 60 days old: the two-month visit (README, slot inference)
        VisitData data = valid(request("202601152388", LocalDate.of(2026, 3, 16), null, List.of(NURSE),
                List.of(" zv509 "), List.of("b", "a", "b")));
        assertEquals(LocalDate.of(2026, 1, 15), data.childBirthDate());
        assertEquals(ProgramSlot.MONTH_2, data.programSlot());
        assertTrue(data.programSlotInferred());
        assertEquals(List.of("ZV509"), data.kvaCodes());
        assertEquals(List.of(Referral.PRESCHOOL, Referral.DENTAL).stream().sorted().toList(), data.referrals());
        assertEquals(List.of("a", "b"), data.riskFactors());
        assertEquals("p-2026-03-16", data.childPseudonym());
        assertEquals("k9", data.childPseudonymKeyId());
        assertTrue(data.interpreterUsed());
    }

    @Test
    void aGivenSlotIsKeptAndNotMarkedInferred() {
        VisitData data = valid(request("202601152388", LocalDate.of(2026, 3, 16), ProgramSlot.MONTH_4, List.of(NURSE),
                List.of(), List.of()));
        assertEquals(ProgramSlot.MONTH_4, data.programSlot());
        assertFalse(data.programSlotInferred());
    }

    @Test
    void everyInvalidFieldIsNamedAtOnceAndABlankSourceIsNoSource() {
        VisitRequest bad = new VisitRequest(" ", null, "Vivalla", "202601152389", LocalDate.of(2027, 1, 1), null,
                List.of(new Participant(ParticipantRole.SOCIAL_SERVICES, null, "Örebro kommun")), List.of("ZV5099"),
                null, null, List.of("x y z 201601152388"));
        assertEquals(List.of("sourceSystem", "sourceVisitId", "centreId", "childPersonnummer", "visitDate",
                "participants", "kvaCodes", "riskFactors"), fields(bad));
    }

    @Test
    void theVisitMustFallBetweenBirthAndTheSixthBirthday() {
        assertEquals(List.of("visitDate"), fields(request("202601152388", LocalDate.of(2026, 1, 14), null,
                List.of(NURSE), List.of(), List.of())));
        assertEquals(List.of("childPersonnummer"), fields(request("202001152384", LocalDate.of(2026, 1, 15), null,
                List.of(NURSE), List.of(), List.of())));
        valid(request("202001152384", LocalDate.of(2026, 1, 14), null, List.of(NURSE), List.of(), List.of()));
    }

    @Test
    void listsAreBoundedAndANurseIsRequired() {
        assertEquals(List.of("participants"), fields(request("202601152388", LocalDate.of(2026, 3, 16), null,
                Collections.nCopies(21, NURSE), List.of(), List.of())));
        assertEquals(List.of("participants"), fields(request("202601152388", LocalDate.of(2026, 3, 16), null,
                List.of(new Participant(ParticipantRole.OTHER, "SE2321000164-X0000001", null)), List.of(), List.of())));
        List<String> codes = java.util.stream.IntStream.range(0, 21).mapToObj(i -> "ZV5" + (10 + i)).toList();
        assertEquals(List.of("kvaCodes"), fields(request("202601152388", LocalDate.of(2026, 3, 16), null,
                List.of(NURSE), codes, List.of())));
        assertEquals(List.of("riskFactors"), fields(request("202601152388", LocalDate.of(2026, 3, 16), null,
                List.of(NURSE), List.of(), Collections.nCopies(21, "a"))));
        valid(request("202601152388", LocalDate.of(2026, 3, 16), null, Collections.nCopies(20, NURSE),
                codes.subList(0, 20), Collections.nCopies(20, "a")));
    }
}
