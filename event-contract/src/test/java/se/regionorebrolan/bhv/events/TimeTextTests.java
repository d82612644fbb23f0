package se.regionorebrolan.bhv.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The contract's times written and read by hand are what Jackson's java.time module writes and reads: the same text
 * for every instant, the same instant or date for every text, the same refusal for text that is not one.
 */
class TimeTextTests {

    /** The wire format as it was before TimeText: JavaTimeModule alone. */
    private static final ObjectMapper STOCK = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final ObjectMapper OURS = JsonMapper.builder().addModule(new JavaTimeModule())
            .addModule(TimeText.module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    @Test
    void everyInstantIsWrittenAsIsoInstantWritesIt() throws Exception {
        Random random = new Random(18);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = min + Math.floorMod(random.nextLong(), max - min + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertEquals(text, TimeText.format(instant));
            assertEquals(instant, TimeText.parse(text), text);
            assertEquals(STOCK.writeValueAsString(instant), OURS.writeValueAsString(instant));
        }
        for (Instant edge : List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.ofEpochSecond(-1, 999_999_999),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T23:59:59.000000001Z"))) {
            assertEquals(STOCK.writeValueAsString(edge), OURS.writeValueAsString(edge), edge.toString());
            assertEquals(edge, OURS.readValue(STOCK.writeValueAsString(edge), Instant.class));
        }
    }

    @Test
    void everyTextIsReadAsJacksonReadsIt() throws Exception {
        for (String text : List.of("2026-03-16T09:30:00Z", "2026-03-16T09:30:00.1Z", "2026-03-16T09:30:00.12Z",
                "2026-03-16T09:30:00.123456789Z", "2026-03-16T09:30:00.1234567890Z", "2026-03-16T09:30:00.Z",
                "2026-03-16t09:30:00z", "2026-03-16T09:30:00+01:00", "2026-03-16T09:30Z", "2026-03-16T24:00:00Z",
                "2026-12-31T23:59:60Z", "2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-10T00:00:00Z", "2026-03-16 09:30:00Z", "2026-03-16T09:3a:00Z", "+2026-03-16T09:30:00Z",
                "２026-03-16T09:30:00Z", "", "   ", "1773653400", "1773653400.5", "x")) {
            assertSame(read(STOCK, "\"" + text + "\"", Instant.class), read(OURS, "\"" + text + "\"", Instant.class),
                    text);
        }
        for (String json : List.of("1773653400", "1773653400.123", "-5", "null", "[]", "{}", "true")) {
            assertSame(read(STOCK, json, Instant.class), read(OURS, json, Instant.class), json);
        }
    }

    @Test
    void everyDateIsReadAsJacksonReadsIt() throws Exception {
        LocalDate date = LocalDate.of(1999, 12, 25);
        for (int i = 0; i < 12_000; i++, date = date.plusDays(3)) {
            String json = "\"" + date + "\"";
            assertEquals(date, OURS.readValue(json, LocalDate.class));
            assertEquals(STOCK.writeValueAsString(date), OURS.writeValueAsString(date));
        }
        for (String text : List.of("2026-03-16", "2026-02-29", "2024-02-29", "2026-04-31", "2026-13-01", "2026-3-16",
                "2026-03-16T10:00:00", "2026-03-16T10:00:00Z", "20260316", "+12026-03-16", "0000-01-01",
                "2026/03/16", "2026-03-1x", "", " 2026-03-16")) {
            assertSame(read(STOCK, "\"" + text + "\"", LocalDate.class),
                    read(OURS, "\"" + text + "\"", LocalDate.class), text);
        }
        for (String json : List.of("[2026,3,16]", "20000", "null", "{}")) {
            assertSame(read(STOCK, json, LocalDate.class), read(OURS, json, LocalDate.class), json);
        }
        assertNull(TimeText.parseDate("2026-02-30"));
    }

    /** The value read, or the kind of refusal (the exception's class): what a reader of the event meets. */
    private static Object read(ObjectMapper mapper, String json, Class<?> type) {
        try {
            return mapper.readValue(json, type);
        } catch (Exception e) {
            return e.getClass();
        }
    }

    private static void assertSame(Object expected, Object actual, String what) {
        assertEquals(expected, actual, what);
    }
}
