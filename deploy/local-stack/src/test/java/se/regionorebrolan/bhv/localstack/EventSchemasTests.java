package se.regionorebrolan.bhv.localstack;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.VisitData;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schemas themselves: every type has one, and it refuses what the contract forbids. */
class EventSchemasTests {

    private static String visitRecorded() {
        UUID id = UUID.randomUUID();
        VisitData visit = new VisitData(id, 1, "cosmic", "ENC-1", "SE2321000164-E000000000001", "ab".repeat(32),
                LocalDate.of(2026, 1, 15), LocalDate.of(2026, 3, 16), ProgramSlot.MONTH_2, false,
                List.of(new Participant(ParticipantRole.BHV_NURSE, "SE2321000164-N0000001", null)), List.of("ZV509"),
                List.of(), false, List.of());
        return EventCodec.write(EventCodec.envelope(EventType.VISIT_RECORDED, "/visit-service", id.toString(),
                Instant.now(), visit));
    }

    @Test
    void everyEventTypeHasASchema() {
        Arrays.stream(EventType.values()).forEach(EventSchemas::schema);
    }

    @Test
    void aWellFormedEventConforms() {
        assertEquals(List.of(), EventSchemas.violations(visitRecorded()));
    }

    @Test
    void aPersonnummerFieldOrAMalformedValueIsRefused() {
        String withNumber = visitRecorded().replace("\"childPseudonym\"", "\"childPersonnummer\":\"202601152388\",\"childPseudonym\"");
        assertFalse(EventSchemas.violations(withNumber).isEmpty());
        assertFalse(EventSchemas.violations(visitRecorded().replace("MONTH_2", "MONTH_3")).isEmpty());
        assertFalse(EventSchemas.violations(visitRecorded().replace("\"revision\":1", "\"revision\":0")).isEmpty());
        assertFalse(EventSchemas.violations(visitRecorded().replace("2026-03-16", "16/3 2026")).isEmpty());
    }

    @Test
    void aPersonnummerInAnyFieldThatMustNotHoldOneIsRefused() {
        for (String number : List.of("202601152388", "20260115-2388", "260115+2388", "20260115 2388", "260115.2388")) {
            assertFalse(EventSchemas.violations(visitRecorded().replace("\"ENC-1\"", "\"" + number + "\"")).isEmpty(),
                    "sourceVisitId " + number);
            assertFalse(EventSchemas.violations(visitRecorded().replace("\"cosmic\"", "\"x" + number + "\"")).isEmpty(),
                    "sourceSystem " + number);
            assertFalse(EventSchemas.violations(visitRecorded().replace("\"role\":\"BHV_NURSE\"",
                    "\"role\":\"BHV_NURSE\",\"organisation\":\"Barn " + number + "\"")).isEmpty(), "organisation " + number);
            assertFalse(EventSchemas.violations(visitRecorded().replace("SE2321000164-N0000001", number)).isEmpty(),
                    "hsaId " + number);
        }
        assertEquals(List.of(), EventSchemas.violations(visitRecorded().replace("\"role\":\"BHV_NURSE\"",
                "\"role\":\"BHV_NURSE\",\"organisation\":\"Örebro kommun\"")));
    }

    /**
     * The largest visit event the contract allows (every string and list at its maximum, multi-byte letters) conforms
     * and stays far below the broker's record limit (1 MiB): no valid visit can become a poison event.
     */
    @Test
    void theLargestPossibleVisitEventIsFarBelowTheBrokersRecordLimit() {
        UUID id = UUID.randomUUID();
        String hsa = "SE2321000164-" + "N".repeat(31);
        List<Participant> participants = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> new Participant(ParticipantRole.SOCIAL_SERVICES, hsa, "Ö".repeat(200))).toList();
        VisitData largest = new VisitData(id, Integer.MAX_VALUE, "ö".repeat(100), "å".repeat(100),
                "SE2321000164-" + "E".repeat(31), "ab".repeat(32), LocalDate.of(2026, 1, 15),
                LocalDate.of(2026, 3, 16), ProgramSlot.MONTH_2, false, participants,
                java.util.Collections.nCopies(20, "ZV509"),
                java.util.Collections.nCopies(20, se.regionorebrolan.bhv.events.Referral.MATERNAL_HEALTH), true,
                java.util.Collections.nCopies(20, "ä".repeat(100)), "k".repeat(32));
        String event = EventCodec.write(EventCodec.envelope(EventType.VISIT_CORRECTED, "/visit-service",
                id.toString(), Instant.now(), largest));
        assertEquals(List.of(), EventSchemas.violations(event));
        int bytes = event.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        System.out.println("the largest visit event: " + bytes + " bytes");
        assertTrue(bytes < 64 * 1024, "the largest visit event is " + bytes + " bytes");
        // one more of anything is refused by the schema (and by visit-service's validation before it)
        assertFalse(EventSchemas.violations(event.replace("\"" + "Ö".repeat(200) + "\"", "\"" + "Ö".repeat(201) + "\""))
                .isEmpty());
        assertFalse(EventSchemas.violations(event.replace("\"" + "å".repeat(100) + "\"", "\"" + "å".repeat(101) + "\""))
                .isEmpty());
    }
}
