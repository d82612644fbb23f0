package se.regionorebrolan.bhv.visit.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.visit.rest.VisitRequest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a FHIR R4 transaction Bundle (CONTRACT.md, "FHIR R4 for EHR integrations") into the one operation it asks
 * for on a home visit: record (POST Encounter), correct (PUT Encounter/{id}) or retract (DELETE Encounter/{id}). The
 * Bundle is read as R4 JSON with Jackson (no FHIR model library is served here that builds with this platform); only
 * what the mapping needs is read. Pure: an invalid Bundle throws {@link FhirException} naming the FHIR path.
 */
public final class FhirBundle {

    public static final String PERSONNUMMER = "urn:oid:1.2.752.129.2.1.3.1";
    public static final String SAMORDNINGSNUMMER = "urn:oid:1.2.752.129.2.1.3.3";
    public static final String HSA_ID = "urn:oid:1.2.752.29.4.19";
    public static final String KVA = "urn:oid:1.2.752.116.1.3.2.1.4";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String PARTICIPANT_ROLE = "https://bhv.regionorebrolan.se/fhir/CodeSystem/participant-role";
    public static final String PROGRAM_SLOT = "https://bhv.regionorebrolan.se/fhir/CodeSystem/program-slot";
    /** At most this many entries in a Bundle: one visit's resources. */
    public static final int MAX_ENTRIES = 50;

    /** What the Bundle asks for. */
    public sealed interface Operation permits Record, Correct, Retract {
    }

    /** POST Encounter: a new visit (or the same one again). */
    public record Record(VisitRequest visit) implements Operation {
    }

    /** PUT Encounter/{id}: the full new content of a recorded visit. */
    public record Correct(UUID visitId, VisitRequest visit) implements Operation {
    }

    /** DELETE Encounter/{id}?reason=...: a visit registered in error. */
    public record Retract(UUID visitId, String reason) implements Operation {
    }

    private FhirBundle() {
    }

    /** {@code sourceSystems}: Encounter.identifier system URI → source system name (configuration). */
    public static Operation read(JsonNode bundle, Map<String, String> sourceSystems) {
        if (bundle == null || !"Bundle".equals(bundle.path("resourceType").asText())) {
            throw new FhirException(400, "invalid", "Bundle.resourceType", "must be Bundle");
        }
        if (!"transaction".equals(bundle.path("type").asText())) {
            throw new FhirException(400, "invalid", "Bundle.type", "must be transaction");
        }
        JsonNode entries = bundle.path("entry");
        if (!entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new FhirException(400, "invalid", "Bundle.entry", "1-" + MAX_ENTRIES + " entries are required");
        }
        Map<String, JsonNode> byReference = new HashMap<>();
        JsonNode encounter = null;
        JsonNode encounterEntry = null;
        List<JsonNode> procedures = new ArrayList<>();
        for (JsonNode entry : entries) {
            JsonNode resource = entry.path("resource");
            String type = resource.path("resourceType").asText();
            if (entry.hasNonNull("fullUrl")) {
                byReference.put(entry.get("fullUrl").asText(), resource);
            }
            if (resource.hasNonNull("id")) {
                byReference.put(type + "/" + resource.get("id").asText(), resource);
            }
            String method = entry.path("request").path("method").asText();
            String url = entry.path("request").path("url").asText();
            if (method.equals("DELETE") && url.startsWith("Encounter/")) {
                return retraction(url);
            }
            if (type.equals("Encounter")) {
                if (encounter != null) {
                    throw new FhirException(400, "invalid", "Bundle.entry", "one Encounter per Bundle");
                }
                encounter = resource;
                encounterEntry = entry;
            } else if (type.equals("Procedure")) {
                procedures.add(resource);
            }
        }
        if (encounter == null) {
            throw new FhirException(400, "required", "Bundle.entry", "an Encounter entry is required");
        }
        VisitRequest visit = visit(encounter, procedures, byReference, sourceSystems);
        String method = encounterEntry.path("request").path("method").asText();
        String url = encounterEntry.path("request").path("url").asText();
        if (method.equals("POST") && url.equals("Encounter")) {
            return new Record(visit);
        }
        if (method.equals("PUT") && url.startsWith("Encounter/")) {
            return new Correct(visitId(url.substring("Encounter/".length())), visit);
        }
        throw new FhirException(400, "not-supported", "Bundle.entry.request",
                "POST Encounter, PUT Encounter/{id} or DELETE Encounter/{id}?reason=... (a conditional update by"
                        + " identifier is not supported: PUT the Encounter's id)");
    }

    private static Retract retraction(String url) {
        String rest = url.substring("Encounter/".length());
        int query = rest.indexOf('?');
        String id = query < 0 ? rest : rest.substring(0, query);
        String reason = null;
        if (query >= 0) {
            for (String pair : rest.substring(query + 1).split("&")) {
                if (pair.startsWith("reason=")) {
                    reason = java.net.URLDecoder.decode(pair.substring("reason=".length()),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        return new Retract(visitId(id), reason);
    }

    private static UUID visitId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new FhirException(404, "not-found", "Bundle.entry.request.url", "no such Encounter");
        }
    }

    private static VisitRequest visit(JsonNode encounter, List<JsonNode> procedures, Map<String, JsonNode> byReference,
                                      Map<String, String> sourceSystems) {
        JsonNode identifier = encounter.path("identifier").path(0);
        String system = identifier.path("system").asText(null);
        if (system == null || !sourceSystems.containsKey(system)) {
            throw new FhirException(400, "code-invalid", "Encounter.identifier[0].system",
                    "is not a known EHR identifier system (the configuration maps each to a source system)");
        }
        JsonNode encounterClass = encounter.path("class");
        if (!ACT_CODE.equals(encounterClass.path("system").asText()) || !"HH".equals(encounterClass.path("code").asText())) {
            throw new FhirException(400, "code-invalid", "Encounter.class", "must be HH (home health, " + ACT_CODE + ")");
        }
        JsonNode provider = resolve(encounter.path("serviceProvider"), byReference);
        if (provider == null) {
            throw new FhirException(400, "required", "Encounter.serviceProvider",
                    "is required: the centre, an Organization with an HSA-id (" + HSA_ID + ")");
        }
        JsonNode patient = resolve(encounter.path("subject"), byReference);
        if (patient == null) {
            throw new FhirException(400, "required", "Encounter.subject", "is required: the child, a Patient");
        }
        String personnummer = identifierValue(patient, PERSONNUMMER);
        if (personnummer == null) {
            personnummer = identifierValue(patient, SAMORDNINGSNUMMER);
        }
        List<Participant> participants = new ArrayList<>();
        JsonNode roles = encounter.path("participant");
        for (int i = 0; i < roles.size(); i++) {
            participants.add(participant(roles.get(i), i, byReference));
        }
        List<String> kvaCodes = new ArrayList<>();
        String encounterReference = encounter.hasNonNull("id") ? "Encounter/" + encounter.get("id").asText() : null;
        for (JsonNode procedure : procedures) {
            String refersTo = procedure.path("encounter").path("reference").asText(null);
            if (refersTo != null && !refersTo.equals(encounterReference)
                    && byReference.get(refersTo) != encounter) {
                continue; // a procedure of another encounter
            }
            for (JsonNode coding : procedure.path("code").path("coding")) {
                if (KVA.equals(coding.path("system").asText())) {
                    kvaCodes.add(coding.path("code").asText());
                }
            }
        }
        ProgramSlot slot = null;
        for (JsonNode type : encounter.path("type")) {
            for (JsonNode coding : type.path("coding")) {
                if (PROGRAM_SLOT.equals(coding.path("system").asText())) {
                    try {
                        slot = ProgramSlot.valueOf(coding.path("code").asText());
                    } catch (IllegalArgumentException e) {
                        throw new FhirException(400, "code-invalid", "Encounter.type", "is not a programme slot");
                    }
                }
            }
        }
        return new VisitRequest(sourceSystems.get(system), identifier.path("value").asText(null),
                identifierValue(provider, HSA_ID), personnummer, date(encounter.path("period").path("start")), slot,
                participants, kvaCodes, null, null, null);
    }

    private static Participant participant(JsonNode participant, int index, Map<String, JsonNode> byReference) {
        String path = "Encounter.participant[" + index + "]";
        ParticipantRole role = null;
        for (JsonNode type : participant.path("type")) {
            for (JsonNode coding : type.path("coding")) {
                if (PARTICIPANT_ROLE.equals(coding.path("system").asText())) {
                    try {
                        role = ParticipantRole.valueOf(coding.path("code").asText());
                    } catch (IllegalArgumentException e) {
                        throw new FhirException(400, "code-invalid", path + ".type", "is not a participant role");
                    }
                }
            }
        }
        if (role == null) {
            throw new FhirException(400, "required", path + ".type",
                    "is required: BHV_NURSE, SOCIAL_SERVICES or OTHER in " + PARTICIPANT_ROLE);
        }
        JsonNode individual = resolve(participant.path("individual"), byReference);
        if (individual == null) {
            return new Participant(role, null, null);
        }
        String type = individual.path("resourceType").asText();
        if (type.equals("Practitioner")) {
            return new Participant(role, identifierValue(individual, HSA_ID), null);
        }
        if (type.equals("Organization")) {
            return new Participant(role, null, individual.path("name").asText(null));
        }
        throw new FhirException(400, "invalid", path + ".individual", "must be a Practitioner or an Organization");
    }

    private static LocalDate date(JsonNode start) {
        if (start.isMissingNode() || start.isNull()) {
            return null;
        }
        String text = start.asText();
        try {
            return LocalDate.parse(text.length() >= 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            throw new FhirException(400, "invalid", "Encounter.period.start", "must be a date or dateTime");
        }
    }

    /** The resource a Reference points at, within the Bundle (by fullUrl or type/id); null if there is none. */
    private static JsonNode resolve(JsonNode reference, Map<String, JsonNode> byReference) {
        String target = reference.path("reference").asText(null);
        return target == null ? null : byReference.get(target);
    }

    private static String identifierValue(JsonNode resource, String system) {
        for (JsonNode identifier : resource.path("identifier")) {
            if (system.equals(identifier.path("system").asText())) {
                return identifier.path("value").asText(null);
            }
        }
        return null;
    }
}
