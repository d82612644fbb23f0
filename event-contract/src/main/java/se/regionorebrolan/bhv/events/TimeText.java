package se.regionorebrolan.bhv.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * The contract's instants and dates as text, in the common form every event of ours has ({@code
 * 2026-06-01T08:30:00.123Z}, {@code 2026-06-01}), written and read by hand instead of through {@code
 * DateTimeFormatter}, whose general parser was a fifth of what a consumer allocated per event and slow on the
 * services' C1-only JVMs (issue 18). The text is exactly {@code DateTimeFormatter.ISO_INSTANT}'s (and
 * {@code ISO_LOCAL_DATE}'s); anything else — another form, an offset, a number, a date that does not exist — goes to
 * Jackson's own java.time deserializers as before, with the same result or the same refusal.
 */
final class TimeText {

    private TimeText() {
    }

    /** Registered after {@code JavaTimeModule}: these two take the common form, JavaTimeModule's the rest. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("bhv-time-text");
        module.addSerializer(Instant.class, new InstantText());
        module.addDeserializer(Instant.class, new Reader<>(Instant.class, TimeText::parse, InstantDeserializer.INSTANT));
        module.addDeserializer(LocalDate.class,
                new Reader<>(LocalDate.class, TimeText::parseDate, LocalDateDeserializer.INSTANCE));
        return module;
    }

    /** {@code ISO_INSTANT}'s text: seconds always, then the fraction in groups of three digits, as many as needed. */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400L);
        if (day < EPOCH_DAY_0000 || day > EPOCH_DAY_9999) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        int nanos = instant.getNano();
        char[] out = new char[nanos == 0 ? 20 : nanos % 1_000_000 == 0 ? 24 : nanos % 1_000 == 0 ? 27 : 30];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (nanos != 0) {
            out[19] = '.';
            int width = out.length - 21;
            digits(out, 20, nanos / POWERS[9 - width], width);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /** The instant of text in the common form, or null for any other text (which the general parser then takes). */
    static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || n == 21 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4), month = number(text, 5, 2), day = number(text, 8, 2);
        int hour = number(text, 11, 2), minute = number(text, 14, 2), second = number(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int width = n - 21;
            int fraction = text.charAt(19) == '.' ? number(text, 20, width) : -1;
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS[9 - width];
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException noSuchDay) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The date of text in the form {@code yyyy-MM-dd}, or null for any other text. */
    static LocalDate parseDate(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = number(text, 0, 4), month = number(text, 5, 2), day = number(text, 8, 2);
        if ((year | month | day) < 0) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException noSuchDay) {
            return null;
        }
    }

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
            1_000_000_000};
    private static final long EPOCH_DAY_0000 = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long EPOCH_DAY_9999 = LocalDate.of(9999, 12, 31).toEpochDay();

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number of the width's digits at the position, or -1 when one is not an ASCII digit. */
    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static final class InstantText extends StdScalarSerializer<Instant> {
        InstantText() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }

    /** Reads the common form by hand ({@code common} answers null for any other text), the rest as {@code general}. */
    private static final class Reader<T> extends StdScalarDeserializer<T> {
        private final transient Function<String, T> common;
        private final transient JsonDeserializer<T> general;

        Reader(Class<T> type, Function<String, T> common, JsonDeserializer<T> general) {
            super(type);
            this.common = common;
            this.general = general;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            T value = p.currentToken() == JsonToken.VALUE_STRING ? common.apply(p.getText()) : null;
            return value != null ? value : general.deserialize(p, ctxt);
        }
    }
}
