package se.regionorebrolan.bhv.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import se.regionorebrolan.bhv.events.EventType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Checks an event as it stood on a topic against the contract's JSON Schema for its type (event-contract/schemas). */
public final class EventSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();

    private EventSchemas() {
    }

    /** The schema's complaints about the event; empty when it conforms. */
    public static List<String> violations(String eventJson) {
        try {
            JsonNode event = JSON.readTree(eventJson);
            EventType type = EventType.fromCeType(event.path("type").asText());
            return schema(type).validate(event).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (IOException e) {
            return List.of("not JSON: " + e.getClass().getSimpleName());
        }
    }

    public static JsonSchema schema(EventType type) {
        String resource = "/schemas/" + type.shortName() + ".schema.json";
        try (InputStream in = EventSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no schema " + resource);
            }
            return FACTORY.getSchema(in, CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
