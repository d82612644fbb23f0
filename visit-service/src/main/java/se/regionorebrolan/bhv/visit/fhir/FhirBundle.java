package se.regionorebrolan.bhv.visit.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.visit.rest.VisitRequest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a FHIR R4 transaction Bundle (CONTRACT.md, "FHIR R4 for EHR integrations") into the one operation it asks
 * for on a home visit: record (POST Encounter), correct (PUT Encounter/{id}) or retract (DELETE Encounter/{id}). The
 * Bundle is parsed with HAPI FHIR's R4 model (a maintained FHIR library, {@code hapi-fhir-structures-r4}), strictly.
 * Pure: an invalid Bundle throws {@link FhirException} naming the FHIR path.
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
    /**
     * At most this many bytes in a Bundle (a visit's is a few kB, narratives included): checked before parsing, which
     * runs on an event loop — the service's 16 MB body limit is for batches of the JSON API.
     */
    public static final int MAX_BYTES = 1 << 20;

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

    /** The R4 context: made once, on first use (it takes seconds), and shared; parsers are made per Bundle. */
    private static final class Context {
        static final FhirContext R4 = FhirContext.forR4();
    }

    /** Makes the R4 context now (the first Bundle is then as fast as the others). */
    public static void warmUp() {
        Context.R4.getResourceDefinition("Encounter");
    }

    /** Reads a request body: FHIR JSON is UTF-8 (RFC 8259), whatever charset a client names. */
    public static Operation read(byte[] body, Map<String, String> sourceSystems) {
        requireLength(body == null ? 0 : body.length);
        return read(new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8), sourceSystems);
    }

    /** A Bundle of this many bytes is too long: {@code 413 too-long}. */
    public static void requireLength(long bytes) {
        if (bytes > MAX_BYTES) {
            throw new FhirException(413, "too-long", "Bundle", "a Bundle is at most " + MAX_BYTES / 1024 + " kB");
        }
    }

    /**
     * Parses R4 JSON (strictly: an unknown element is an error, and no value is ever logged or quoted) and reads the
     * operation. {@code sourceSystems}: Encounter.identifier system URI → source system name (configuration).
     */
    public static Operation read(String json, Map<String, String> sourceSystems) {
        IParser parser = Context.R4.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        Bundle bundle;
        try {
            bundle = parser.parseResource(Bundle.class, json);
        } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
            throw new FhirException(400, "structure", "Bundle", "is not a FHIR R4 Bundle in JSON");
        }
        return read(bundle, sourceSystems);
    }

    static Operation read(Bundle bundle, Map<String, String> sourceSystems) {
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new FhirException(400, "invalid", "Bundle.type", "must be transaction");
        }
        List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new FhirException(400, "invalid", "Bundle.entry", "1-" + MAX_ENTRIES + " entries are required");
        }
        Map<String, Resource> byReference = new HashMap<>();
        Encounter encounter = null;
        Bundle.BundleEntryComponent encounterEntry = null;
        List<Procedure> procedures = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : entries) {
            Resource resource = entry.getResource();
            if (entry.getRequest().getMethod() == Bundle.HTTPVerb.DELETE
                    && entry.getRequest().getUrl() != null && entry.getRequest().getUrl().startsWith("Encounter/")) {
                return retraction(entry.getRequest().getUrl());
            }
            if (resource == null) {
                continue;
            }
            if (entry.hasFullUrl()) {
                byReference.put(entry.getFullUrl(), resource);
            }
            if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
                byReference.put(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
            }
            if (resource instanceof Encounter e) {
                if (encounter != null) {
                    throw new FhirException(400, "invalid", "Bundle.entry", "one Encounter per Bundle");
                }
                encounter = e;
                encounterEntry = entry;
            } else if (resource instanceof Procedure procedure) {
                procedures.add(procedure);
            }
        }
        if (encounter == null) {
            throw new FhirException(400, "required", "Bundle.entry", "an Encounter entry is required");
        }
        VisitRequest visit = visit(encounter, encounterEntry.getFullUrl(), procedures, byReference, sourceSystems);
        Bundle.HTTPVerb method = encounterEntry.getRequest().getMethod();
        String url = encounterEntry.getRequest().getUrl() == null ? "" : encounterEntry.getRequest().getUrl();
        if (method == Bundle.HTTPVerb.POST && url.equals("Encounter")) {
            return new Record(visit);
        }
        if (method == Bundle.HTTPVerb.PUT && url.startsWith("Encounter/") && !url.contains("?")) {
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
                            StandardCharsets.UTF_8);
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

    private static VisitRequest visit(Encounter encounter, String fullUrl, List<Procedure> procedures,
                                      Map<String, Resource> byReference, Map<String, String> sourceSystems) {
        Identifier identifier = encounter.getIdentifierFirstRep();
        String system = identifier.getSystem();
        if (system == null || !sourceSystems.containsKey(system)) {
            throw new FhirException(400, "code-invalid", "Encounter.identifier[0].system",
                    "is not a known EHR identifier system (the configuration maps each to a source system)");
        }
        Coding encounterClass = encounter.getClass_();
        if (!ACT_CODE.equals(encounterClass.getSystem()) || !"HH".equals(encounterClass.getCode())) {
            throw new FhirException(400, "code-invalid", "Encounter.class", "must be HH (home health, " + ACT_CODE + ")");
        }
        Resource provider = resolve(encounter.getServiceProvider(), byReference);
        if (!(provider instanceof Organization centre)) {
            throw new FhirException(400, "required", "Encounter.serviceProvider",
                    "is required: the centre, an Organization with an HSA-id (" + HSA_ID + ")");
        }
        if (!(resolve(encounter.getSubject(), byReference) instanceof Patient patient)) {
            throw new FhirException(400, "required", "Encounter.subject", "is required: the child, a Patient");
        }
        String personnummer = identifierValue(patient.getIdentifier(), PERSONNUMMER);
        if (personnummer == null) {
            personnummer = identifierValue(patient.getIdentifier(), SAMORDNINGSNUMMER);
        }
        List<Participant> participants = new ArrayList<>();
        List<Encounter.EncounterParticipantComponent> roles = encounter.getParticipant();
        for (int i = 0; i < roles.size(); i++) {
            participants.add(participant(roles.get(i), i, byReference));
        }
        List<String> kvaCodes = new ArrayList<>();
        for (Procedure procedure : procedures) {
            String refersTo = procedure.getEncounter().getReference();
            if (refersTo != null && byReference.get(refersTo) != encounter && !refersTo.equals(fullUrl)) {
                continue; // a procedure of another encounter
            }
            for (Coding coding : procedure.getCode().getCoding()) {
                if (KVA.equals(coding.getSystem())) {
                    kvaCodes.add(coding.getCode());
                }
            }
        }
        ProgramSlot slot = null;
        for (CodeableConcept type : encounter.getType()) {
            for (Coding coding : type.getCoding()) {
                if (PROGRAM_SLOT.equals(coding.getSystem())) {
                    try {
                        slot = ProgramSlot.valueOf(coding.getCode());
                    } catch (IllegalArgumentException | NullPointerException e) {
                        throw new FhirException(400, "code-invalid", "Encounter.type", "is not a programme slot");
                    }
                }
            }
        }
        return new VisitRequest(sourceSystems.get(system), identifier.getValue(),
                identifierValue(centre.getIdentifier(), HSA_ID), personnummer, date(encounter), slot, participants,
                kvaCodes, null, null, null);
    }

    private static Participant participant(Encounter.EncounterParticipantComponent participant, int index,
                                           Map<String, Resource> byReference) {
        String path = "Encounter.participant[" + index + "]";
        ParticipantRole role = null;
        for (CodeableConcept type : participant.getType()) {
            for (Coding coding : type.getCoding()) {
                if (PARTICIPANT_ROLE.equals(coding.getSystem())) {
                    try {
                        role = ParticipantRole.valueOf(coding.getCode());
                    } catch (IllegalArgumentException | NullPointerException e) {
                        throw new FhirException(400, "code-invalid", path + ".type", "is not a participant role");
                    }
                }
            }
        }
        if (role == null) {
            throw new FhirException(400, "required", path + ".type",
                    "is required: BHV_NURSE, SOCIAL_SERVICES or OTHER in " + PARTICIPANT_ROLE);
        }
        if (!participant.hasIndividual()) {
            return new Participant(role, null, null);
        }
        Resource individual = resolve(participant.getIndividual(), byReference);
        if (individual instanceof Practitioner practitioner) {
            return new Participant(role, identifierValue(practitioner.getIdentifier(), HSA_ID), null);
        }
        if (individual instanceof Organization organisation) {
            return new Participant(role, null, organisation.getName());
        }
        throw new FhirException(400, "invalid", path + ".individual",
                "must be a Practitioner or an Organization of the Bundle");
    }

    /** The date of Encounter.period.start as written (its first ten characters: no time-zone shift). */
    private static LocalDate date(Encounter encounter) {
        String text = encounter.getPeriod().getStartElement().getValueAsString();
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text.length() >= 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            throw new FhirException(400, "invalid", "Encounter.period.start", "must be a full date or dateTime");
        }
    }

    /** The resource a Reference points at within the Bundle (by fullUrl or Type/id); null if there is none. */
    private static Resource resolve(Reference reference, Map<String, Resource> byReference) {
        String target = reference == null ? null : reference.getReference();
        return target == null ? null : byReference.get(target);
    }

    private static String identifierValue(List<Identifier> identifiers, String system) {
        for (Identifier identifier : identifiers) {
            if (system.equals(identifier.getSystem())) {
                return identifier.getValue();
            }
        }
        return null;
    }
}
