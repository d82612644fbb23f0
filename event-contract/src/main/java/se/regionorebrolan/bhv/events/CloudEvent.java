package se.regionorebrolan.bhv.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A CloudEvents 1.0 envelope in structured mode, as it stands on every topic of the contract.
 * {@code id} is unique per event and survives a re-send: consumers de-duplicate on it. {@code data} of an event read
 * or written by {@link EventCodec} is usually its contract type held as it is (a {@code POJONode}, not a tree to walk):
 * take it with {@link EventCodec#data}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    public EventType eventType() {
        return EventType.fromCeType(type);
    }
}
