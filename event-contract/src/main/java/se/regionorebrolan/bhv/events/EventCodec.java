package se.regionorebrolan.bhv.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.util.UUID;

/** Writes and reads the CloudEvents envelopes of the contract; the one place that knows the wire format. */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private EventCodec() {
    }

    /** A new envelope with a fresh event id. */
    public static CloudEvent envelope(EventType type, String source, String subject, Instant time, Object data) {
        return envelope(type, UUID.randomUUID().toString(), source, subject, time, data);
    }

    /** An envelope with a given event id: for events whose id must be derived from what they describe. */
    public static CloudEvent envelope(EventType type, String id, String source, String subject, Instant time,
                                      Object data) {
        return new CloudEvent(CloudEvent.SPEC_VERSION, id, source, type.ceType(), subject, time, "application/json",
                MAPPER.valueToTree(data));
    }

    public static String write(CloudEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event cannot be written as JSON", e);
        }
    }

    public static CloudEvent read(String json) {
        CloudEvent event;
        try {
            event = MAPPER.readValue(json, CloudEvent.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // The parser's message may quote the record; never pass record content on.
            throw new InvalidEventException("record is not a JSON CloudEvent");
        }
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion()) || event.id() == null || event.type() == null
                || event.data() == null) {
            throw new InvalidEventException("CloudEvent lacks specversion 1.0, id, type or data");
        }
        return event;
    }

    /** Any contract type as JSON, in the same form it takes inside an event. */
    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
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

    /** The event's data as the contract type for its {@code type}. */
    public static <T> T data(CloudEvent event, Class<T> type) {
        try {
            return MAPPER.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("data of event " + event.id() + " is not a valid " + type.getSimpleName());
        }
    }
}
