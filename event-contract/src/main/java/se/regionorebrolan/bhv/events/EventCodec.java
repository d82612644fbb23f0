package se.regionorebrolan.bhv.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Writes and reads the CloudEvents envelopes of the contract; the one place that knows the wire format. */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(TimeText.module()) // the common form of times by hand, the rest as JavaTimeModule reads it
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // an amount in a tree keeps its scale, as it does when read straight into its type (read, below)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private EventCodec() {
    }

    /** A new envelope with a fresh event id. */
    public static CloudEvent envelope(EventType type, String source, String subject, Instant time, Object data) {
        return envelope(type, UUID.randomUUID().toString(), source, subject, time, data);
    }

    /**
     * An envelope with a given event id: for events whose id must be derived from what they describe. The data is
     * held as it is and written with the envelope in one pass ({@link #write}), not turned into a tree first.
     */
    public static CloudEvent envelope(EventType type, String id, String source, String subject, Instant time,
                                      Object data) {
        return new CloudEvent(CloudEvent.SPEC_VERSION, id, source, type.ceType(), subject, time, "application/json",
                data instanceof JsonNode node ? node : new POJONode(data));
    }

    public static String write(CloudEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event cannot be written as JSON", e);
        }
    }

    /** {@link #write(CloudEvent)} as UTF-8 bytes, for a writer that hands them on (to Kafka) as they are. */
    public static byte[] writeBytes(CloudEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event cannot be written as JSON", e);
        }
    }

    /**
     * The event written with {@code dataJson} as its data: the UTF-8 JSON that {@link #jsonBytes} wrote of the event's
     * data, so that a writer that keeps that JSON anyway (a visit's stored state) does not write the data twice; as
     * bytes straight from Jackson's byte writer, for a writer that hands them on (to PostgreSQL) without a String in
     * between (issue 18: building each String and copying it out again character by character was a
     * tenth of visit-service's CPU on its C1-only JVM).
     */
    public static byte[] writeBytes(CloudEvent event, byte[] dataJson) {
        return writeBytes(new CloudEvent(event.specversion(), event.id(), event.source(), event.type(),
                event.subject(), event.time(), event.datacontenttype(), new POJONode(new RawValue(new Utf8Json(dataJson)))));
    }

    /**
     * Reads an envelope in one pass: when its specversion, id and type come before its data (as every envelope of
     * ours writes them), the data is read straight into the contract type of its event type, and {@link #data}
     * answers it without a second conversion; otherwise the data is kept as a tree. Either way the same envelope is
     * valid or not, for the same reason.
     */
    public static CloudEvent read(String json) {
        return read(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link #read(String)} of a record's bytes as they came from Kafka (UTF-8 JSON): read as bytes, not decoded into
     * a String and copied into characters first (issue 18: the two copies were a tenth of a consumer's CPU). Bytes
     * that are not UTF-8 are not JSON: the record is refused.
     */
    public static CloudEvent read(byte[] json) {
        if (json == null) { // a record without a value (a tombstone) is refused like any other non-event
            throw new InvalidEventException("record is not a JSON CloudEvent");
        }
        CloudEvent event;
        try (JsonParser parser = MAPPER.createParser(json)) {
            event = parse(parser);
        } catch (IOException | IllegalArgumentException e) {
            // The parser's message may quote the record; never pass record content on.
            throw new InvalidEventException("record is not a JSON CloudEvent");
        }
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion()) || event.id() == null || event.type() == null
                || event.data() == null) {
            throw new InvalidEventException("CloudEvent lacks specversion 1.0, id, type or data");
        }
        return event;
    }

    private static CloudEvent parse(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("not an object");
        }
        String specversion = null, id = null, source = null, type = null, subject = null, contentType = null;
        Instant time = null;
        JsonNode data = null;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "specversion" -> specversion = text(parser, value);
                case "id" -> id = text(parser, value);
                case "source" -> source = text(parser, value);
                case "type" -> type = text(parser, value);
                case "subject" -> subject = text(parser, value);
                case "datacontenttype" -> contentType = text(parser, value);
                case "time" -> time = value == JsonToken.VALUE_NULL ? null : MAPPER.readValue(parser, Instant.class);
                case "data" -> data = data(parser, value, specversion, id, type);
                default -> parser.skipChildren();
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("not an object");
        }
        return new CloudEvent(specversion, id, source, type, subject, time, contentType, data);
    }

    /** A text attribute as the envelope record would take it: a scalar as its text, null as null, nothing else. */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isScalarValue()) {
            throw new IllegalArgumentException("not a text");
        }
        return parser.getText();
    }

    private static JsonNode data(JsonParser parser, JsonToken value, String specversion, String id, String type)
            throws IOException {
        EventType known = null;
        try {
            known = value == JsonToken.START_OBJECT && id != null && CloudEvent.SPEC_VERSION.equals(specversion)
                    && type != null ? EventType.fromCeType(type) : null;
        } catch (InvalidEventException unknownType) {
            // kept as a tree: the reader of an unknown type answers for it
        }
        if (known == null) {
            return MAPPER.readTree(parser);
        }
        try {
            return new POJONode(MAPPER.readValue(parser, known.dataType()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("data of event " + id + " is not a valid "
                    + known.dataType().getSimpleName());
        }
    }

    /** Any contract type as JSON, in the same form it takes inside an event. */
    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON", e);
        }
    }

    /** {@link #json(Object)} as UTF-8 bytes. */
    public static byte[] jsonBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON", e);
        }
    }

    /** A contract type from JSON written by {@link #json(Object)}. */
    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("stored JSON is not a valid " + type.getSimpleName());
        }
    }

    /** The event's data as the contract type for its {@code type}: as it was read, or converted from its tree. */
    public static <T> T data(CloudEvent event, Class<T> type) {
        if (event.data() instanceof POJONode read && type.isInstance(read.getPojo())) {
            return type.cast(read.getPojo());
        }
        try {
            return MAPPER.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("data of event " + event.id() + " is not a valid " + type.getSimpleName());
        }
    }
}
