package se.regionorebrolan.bhv.visit.fhir;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import se.regionorebrolan.bhv.visit.config.VisitConfig;
import se.regionorebrolan.bhv.visit.rest.SourceSystemAccess;
import se.regionorebrolan.bhv.kit.AuditPolicy;
import se.regionorebrolan.bhv.kit.AuditedWrite;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.visit.domain.InvalidVisitException;
import se.regionorebrolan.bhv.visit.domain.VisitConflictException;
import se.regionorebrolan.bhv.visit.service.VisitMetrics;
import se.regionorebrolan.bhv.visit.domain.VisitNotFoundException;
import se.regionorebrolan.bhv.visit.service.VisitService;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * FHIR R4 for EHR integrations (CONTRACT.md): {@code GET /fhir/metadata} and {@code POST /fhir} with a transaction
 * Bundle. The Bundle is mapped ({@link FhirBundle}) onto exactly the visit API's path — the same validation,
 * pseudonymisation, idempotency, correction rules, outbox and events ({@link VisitService}) — and answered with a
 * transaction-response Bundle, or an OperationOutcome naming the FHIR path (never the personal number).
 */
@Path("/fhir")
public class FhirResource {

    public static final String FHIR_JSON = "application/fhir+json";

    /** A FHIR answer, and the visit it concerns (for the audit trail). */
    public record Answer(@JsonValue ObjectNode body, UUID visitId) {
    }

    private final VisitService visits;
    private final VisitMetrics metrics;
    private final ObjectMapper json;
    private final Map<String, String> sourceSystems = new LinkedHashMap<>();

    @Inject
    SecurityIdentity identity;

    public FhirResource(VisitService visits, VisitMetrics metrics, ObjectMapper json,
                        VisitConfig config) {
        this.visits = visits;
        this.metrics = metrics;
        this.json = json;
        for (String pair : config.fhir().sourceSystems()) {
            int at = pair.lastIndexOf('=');
            if (at <= 0) {
                throw new IllegalStateException("bhv.fhir.source-systems: each entry is <identifier system URI>=<name>");
            }
            sourceSystems.put(pair.substring(0, at).strip(), pair.substring(at + 1).strip());
        }
    }

    @PermitAll
    @GET
    @Path("/metadata")
    @Produces({FHIR_JSON, "application/json"})
    public RestResponse<ObjectNode> metadata() {
        ObjectNode statement = json.createObjectNode().put("resourceType", "CapabilityStatement").put("status", "active")
                .put("date", "2026-12-01").put("kind", "instance").put("fhirVersion", "4.0.1");
        statement.putArray("format").add("application/fhir+json");
        statement.putObject("software").put("name", "bhv visit-service");
        ObjectNode rest = statement.putArray("rest").addObject().put("mode", "server");
        rest.putObject("security").put("description", "Bearer JWT of the region's identity provider, role"
                + " ehr-integration, claim source_systems listing the Encounter identifier systems' source systems");
        rest.putArray("interaction").addObject().put("code", "transaction");
        for (String type : List.of("Encounter", "Patient", "Organization", "Practitioner", "Procedure")) {
            ObjectNode resource = rest.withArray("resource").addObject().put("type", type);
            ArrayNode interactions = resource.putArray("interaction");
            if (type.equals("Encounter")) {
                interactions.addObject().put("code", "create");
                interactions.addObject().put("code", "update");
                interactions.addObject().put("code", "delete");
            }
        }
        return RestResponse.ResponseBuilder.ok(statement).type(FHIR_JSON).build();
    }

    /**
     * A new visit's audit record (200, its id) is committed with it, as on {@code POST /api/v1/visits}; a correction
     * or a retraction is recorded as "begun" before it runs, as every other write is; any other answer is recorded
     * as it leaves.
     */
    @RolesAllowed({"ehr-integration"})
    @POST
    @Consumes({FHIR_JSON, "application/json"})
    @Produces({FHIR_JSON, "application/json"})
    @AuditedWrite.InItsTransaction
    public Uni<RestResponse<Answer>> transaction(byte[] body, RoutingContext context) {
        AuditedWrite audit = AuditedWrite.of(context);
        // a visit's Bundle (bounded: FhirBundle.MAX_BYTES) parses in a millisecond, on the event loop
        return Uni.createFrom().deferred(() -> carryOut(FhirBundle.read(body, sourceSystems), audit))
                .onFailure().recoverWithItem(this::outcome);
    }

    /**
     * A Bundle whose declared length is over {@link FhirBundle#MAX_BYTES} is refused before its body is read (the
     * filter runs after the token is checked); one sent in chunks, without a length, is refused once read, up to the
     * service's body limit. Every request of the service passes here: the others go on after one class comparison.
     */
    @ServerRequestFilter
    public Optional<RestResponse<Answer>> declaredTooLong(SimpleResourceInfo resource, HttpHeaders headers) {
        if (resource.getResourceClass() != FhirResource.class) {
            return Optional.empty();
        }
        String declared = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return Optional.empty();
        }
        try {
            FhirBundle.requireLength(Long.parseLong(declared.strip()));
            return Optional.empty();
        } catch (NumberFormatException unreadable) {
            return Optional.empty(); // the HTTP layer answers a malformed length itself
        } catch (FhirException tooLong) {
            return Optional.of(outcome(tooLong));
        }
    }

    /** {@code audit}: the request's record (null only for a caller without a valid token, whom roles keep out). */
    private Uni<RestResponse<Answer>> carryOut(FhirBundle.Operation operation, AuditedWrite audit) {
        if (operation instanceof FhirBundle.Record record) {
            var content = visits.prepare(record.visit());
            SourceSystemAccess.require(identity, content.sourceSystem());
            int ok = RestResponse.StatusCode.OK; // a transaction-response Bundle is a 200, its entry says 201
            Function<UUID, AuditPolicy.Row> row = audit == null ? null
                    : visitId -> audit.row(ok, List.of(visitId.toString()));
            return visits.record(content, row).map(outcome -> {
                metrics.accepted(outcome.changed() ? "recorded" : "unchanged");
                if (outcome.changed() && audit != null) {
                    audit.committed(ok);
                }
                return response(outcome.visit().visit().visitId(), outcome.changed() ? "201 Created" : "200 OK");
            });
        }
        Uni<Void> begun = audit == null ? Uni.createFrom().voidItem() : audit.begin();
        if (operation instanceof FhirBundle.Correct correct) {
            var content = visits.prepare(correct.visit());
            SourceSystemAccess.require(identity, content.sourceSystem());
            return begun.chain(() -> visits.correct(correct.visitId(), content)).map(outcome -> {
                metrics.accepted("corrected");
                return response(correct.visitId(), "200 OK");
            });
        }
        FhirBundle.Retract retract = (FhirBundle.Retract) operation;
        return visits.find(retract.visitId())
                .invoke(stored -> SourceSystemAccess.require(identity, stored.visit().sourceSystem()))
                .chain(() -> begun)
                .chain(() -> visits.retract(retract.visitId(), retract.reason()))
                .map(outcome -> {
                        metrics.accepted("retracted");
                    return response(retract.visitId(), "200 OK");
                });
    }


    private RestResponse<Answer> response(UUID visitId, String status) {
        ObjectNode bundle = json.createObjectNode().put("resourceType", "Bundle").put("type", "transaction-response");
        bundle.putArray("entry").addObject().putObject("response").put("status", status)
                .put("location", "Encounter/" + visitId);
        return RestResponse.ResponseBuilder.ok(new Answer(bundle, visitId)).type(FHIR_JSON).build();
    }

    /** Every failure as an OperationOutcome: the status, the issue code, the FHIR path; never the value sent. */
    private RestResponse<Answer> outcome(Throwable failure) {
        int status;
        List<Map.Entry<String, FieldError>> issues = new java.util.ArrayList<>();
        String code;
        if (failure instanceof FhirException fhir) {
            status = fhir.status;
            code = fhir.code;
            issues.add(Map.entry(fhir.expression, new FieldError(fhir.expression, fhir.getMessage())));
        } else if (failure instanceof InvalidVisitException invalid) {
            status = 400;
            code = "invalid";
            metrics.rejected("validation", invalid.errors());
            invalid.errors().forEach(e -> issues.add(Map.entry(path(e.field()), e)));
        } else if (failure instanceof VisitConflictException conflict) {
            status = 409;
            code = "conflict";
            issues.add(Map.entry("Encounter", new FieldError("Encounter", conflict.getMessage())));
        } else if (failure instanceof VisitNotFoundException) {
            status = 404;
            code = "not-found";
            issues.add(Map.entry("Bundle.entry.request.url", new FieldError("", "no such Encounter")));
        } else if (failure instanceof ForbiddenException) {
            status = 403;
            code = "forbidden";
            issues.add(Map.entry("Encounter.identifier[0].system", new FieldError("",
                    "the token's source_systems do not include this Encounter's source system")));
        } else {
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        ObjectNode outcome = json.createObjectNode().put("resourceType", "OperationOutcome");
        ArrayNode list = outcome.putArray("issue");
        for (Map.Entry<String, FieldError> issue : issues) {
            ObjectNode i = list.addObject().put("severity", "error").put("code", code)
                    .put("diagnostics", issue.getValue().message());
            i.putArray("expression").add(issue.getKey());
        }
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(status), new Answer(outcome, null))
                .type(FHIR_JSON).build();
    }

    /** The FHIR path of a field of the visit API. */
    static String path(String field) {
        if (field.startsWith("participants[")) {
            String index = field.substring("participants[".length(), field.indexOf(']'));
            String rest = field.substring(field.indexOf(']') + 1);
            return "Encounter.participant[" + index + "]" + (rest.equals(".role") ? ".type"
                    : rest.isEmpty() ? "" : ".individual");
        }
        return switch (field) {
            case "childPersonnummer" -> "Patient.identifier";
            case "visitDate" -> "Encounter.period.start";
            case "centreId" -> "Encounter.serviceProvider";
            case "sourceSystem" -> "Encounter.identifier[0].system";
            case "sourceVisitId" -> "Encounter.identifier[0].value";
            case "participants" -> "Encounter.participant";
            case "kvaCodes" -> "Procedure.code";
            case "programSlot" -> "Encounter.type";
            case "reason" -> "Bundle.entry.request.url";
            default -> "Bundle";
        };
    }
}
