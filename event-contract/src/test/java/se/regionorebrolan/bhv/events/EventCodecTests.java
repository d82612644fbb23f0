package se.regionorebrolan.bhv.events;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The wire format: what is written is read back the same, in one pass or from a tree, and refused for the same
 * reasons.
 */
class EventCodecTests {

    private static final Instant AT = Instant.parse("2026-03-16T09:30:00.123456Z");
    private static final PayoutLineBookedData LINE = new PayoutLineBookedData(42, "SE2321000164-E000000000001",
            "2026-03", "2026-03", "JOINT_VISIT", null, new BigDecimal("2500.00"), "STATE_GRANT", "RS-2026",
            "joint home visit", UUID.fromString("6f1c1f56-5d7b-4a53-9a39-0d7e8a3b7c11"), LocalDate.of(2026, 3, 16),
            "pseudonym", AT);
    private static final VisitData VISIT = new VisitData(UUID.fromString("6f1c1f56-5d7b-4a53-9a39-0d7e8a3b7c11"), 1,
            "cosmic", "ENC-1", "SE2321000164-E000000000001", "pseudonym", LocalDate.of(2026, 1, 15),
            LocalDate.of(2026, 3, 16), ProgramSlot.MONTH_2, false,
            List.of(new Participant(ParticipantRole.SOCIAL_SERVICES, null, "Örebro kommun")), List.of("ZV509"),
            List.of(Referral.PRESCHOOL), true, List.of("FIRST_TIME_PARENT"), "k1");

    @Test
    void anEnvelopeIsWrittenInOnePassAsItsTreeWouldBe() {
        String json = EventCodec.write(EventCodec.envelope(EventType.PAYOUT_LINE_BOOKED, "e-1", "/compensation-service",
                "42", AT, LINE));
        assertEquals("{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/compensation-service\","
                + "\"type\":\"se.regionorebrolan.bhv.PayoutLineBooked\",\"subject\":\"42\","
                + "\"time\":\"2026-03-16T09:30:00.123456Z\",\"datacontenttype\":\"application/json\",\"data\":"
                + EventCodec.json(LINE) + "}", json);
        assertEquals("\"amount\":\"2500.00\"", json.substring(json.indexOf("\"amount\""),
                json.indexOf("\"amount\"") + 18), "money as a two-decimal string");
    }

    @Test
    void anEnvelopeWrittenAsBytesIsTheSameTextInUtf8WithItsDataAlreadyInJsonOrNot() {
        CloudEvent event = EventCodec.envelope(EventType.VISIT_RECORDED, "/visit-service", "v", AT, VISIT);
        assertEquals(EventCodec.json(VISIT), new String(EventCodec.jsonBytes(VISIT), StandardCharsets.UTF_8));
        assertEquals(EventCodec.write(event), new String(EventCodec.writeBytes(event), StandardCharsets.UTF_8));
        byte[] bytes = EventCodec.writeBytes(event, EventCodec.jsonBytes(VISIT));
        assertEquals(EventCodec.write(event), new String(bytes, StandardCharsets.UTF_8), "Örebro kommun and all");
        assertEquals(VISIT, EventCodec.data(EventCodec.read(bytes), VisitData.class));
    }

    @Test
    void whatIsWrittenIsReadBackTheSameInOnePass() {
        CloudEvent event = EventCodec.read(EventCodec.write(EventCodec.envelope(EventType.VISIT_RECORDED,
                "/visit-service", VISIT.visitId().toString(), AT, VISIT)));
        assertEquals(EventType.VISIT_RECORDED, event.eventType());
        assertEquals(AT, event.time());
        VisitData read = EventCodec.data(event, VisitData.class);
        assertEquals(VISIT, read);
        assertSame(read, EventCodec.data(event, VisitData.class), "read once, not converted again");
        PayoutLineBookedData line = EventCodec.data(EventCodec.read(EventCodec.write(EventCodec.envelope(
                EventType.PAYOUT_LINE_BOOKED, "e-1", "/compensation-service", "42", AT, LINE))),
                PayoutLineBookedData.class);
        assertEquals(LINE, line);
        assertEquals(2, line.amount().scale());
    }

    @Test
    void dataBeforeTheEnvelopesAttributesIsReadFromItsTreeToTheSameResult() {
        String json = "{\"data\":" + EventCodec.json(VISIT) + ",\"specversion\":\"1.0\",\"id\":\"e-2\","
                + "\"type\":\"se.regionorebrolan.bhv.VisitRecorded\",\"time\":\"2026-03-16T09:30:00.123456Z\"}";
        assertEquals(VISIT, EventCodec.data(EventCodec.read(json), VisitData.class));
    }

    @Test
    void aBadEnvelopeOrBadDataIsRefusedWithTheSameReasonsAsBefore() {
        String data = EventCodec.json(VISIT);
        assertEquals("record is not a JSON CloudEvent",
                assertThrows(InvalidEventException.class, () -> EventCodec.read("not json")).getMessage());
        assertEquals("record is not a JSON CloudEvent",
                assertThrows(InvalidEventException.class, () -> EventCodec.read("[1]")).getMessage());
        assertEquals("record is not a JSON CloudEvent", assertThrows(InvalidEventException.class,
                () -> EventCodec.read("{\"specversion\":\"1.0\",\"id\":{\"x\":1},\"type\":\"t\",\"data\":{}}"))
                .getMessage());
        assertEquals("CloudEvent lacks specversion 1.0, id, type or data", assertThrows(InvalidEventException.class,
                () -> EventCodec.read("{\"id\":\"e-3\",\"type\":\"se.regionorebrolan.bhv.VisitRecorded\",\"data\":"
                        + data + "}")).getMessage());
        assertEquals("data of event e-4 is not a valid VisitData", assertThrows(InvalidEventException.class,
                () -> EventCodec.read("{\"specversion\":\"1.0\",\"id\":\"e-4\","
                        + "\"type\":\"se.regionorebrolan.bhv.VisitRecorded\",\"data\":{\"visitDate\":\"not a date\"}}"))
                .getMessage());
        CloudEvent unknown = EventCodec.read("{\"specversion\":\"1.0\",\"id\":\"e-5\",\"type\":\"other\",\"data\":{}}");
        assertEquals("unknown event type: other",
                assertThrows(InvalidEventException.class, unknown::eventType).getMessage());
    }

    /** A record's bytes, as a consumer reads them from Kafka: the same event as its text; bytes not UTF-8 refused. */
    @Test
    void aRecordsUtf8BytesReadAsItsText() {
        String json = EventCodec.write(EventCodec.envelope(EventType.VISIT_RECORDED, "/visit-service", "v", AT, VISIT));
        CloudEvent event = EventCodec.read(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(VISIT, EventCodec.data(event, VisitData.class));
        assertEquals("Örebro kommun", EventCodec.data(event, VisitData.class).participants().get(0).organisation());
        byte[] latin1 = json.getBytes(StandardCharsets.ISO_8859_1); // "Örebro" in the data is not UTF-8 there
        assertEquals("data of event " + event.id() + " is not a valid VisitData",
                assertThrows(InvalidEventException.class, () -> EventCodec.read(latin1)).getMessage());
        byte[] badId = "{\"specversion\":\"1.0\",\"id\":\"\u00d6\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("record is not a JSON CloudEvent",
                assertThrows(InvalidEventException.class, () -> EventCodec.read(badId)).getMessage());
        assertEquals("record is not a JSON CloudEvent", assertThrows(InvalidEventException.class,
                () -> EventCodec.read((byte[]) null)).getMessage(), "a record without a value (a tombstone)");
        assertEquals("record is not a JSON CloudEvent",
                assertThrows(InvalidEventException.class, () -> EventCodec.read((String) null)).getMessage());
    }
}
