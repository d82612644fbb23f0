package se.regionorebrolan.bhv.visit.rest;

import se.regionorebrolan.bhv.kit.AuditPolicy;
import se.regionorebrolan.bhv.kit.AuditedWrite;
import se.regionorebrolan.bhv.kit.CentreAccess;
import io.vertx.ext.web.RoutingContext;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.smallrye.mutiny.Multi;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.kit.Problem;
import se.regionorebrolan.bhv.visit.domain.InvalidVisitException;
import se.regionorebrolan.bhv.visit.domain.StoredVisit;
import se.regionorebrolan.bhv.visit.service.RecordResult;
import se.regionorebrolan.bhv.visit.service.VisitMetrics;
import se.regionorebrolan.bhv.visit.service.VisitService;
import se.regionorebrolan.bhv.visit.domain.VisitValidator;

import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The door for EHR integrations (CONTRACT.md, visit-service). */
@Path("/api/v1/visits")
@Produces(MediaType.APPLICATION_JSON)
public class VisitResource {

    static final int MAX_BATCH = 10_000;
    static final int MAX_PAGE_SIZE = 500;
    /** How deep a list may be paged: deeper pages cost the database more than a narrower date range. */
    static final int MAX_OFFSET = 1_000_000;
    static final int BATCH_CHUNK = 1000;

    private final VisitService visits;
    private final ObjectMapper json;
    private final VisitMetrics metrics;

    @Inject
    SecurityIdentity identity;

    public VisitResource(VisitService visits, ObjectMapper json, VisitMetrics metrics) {
        this.visits = visits;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * 201 with the new visit; 200 with the stored one when the same visit comes again; 409 for other content. A new
     * visit's audit record (201, its id) is committed with it; any other answer is recorded as it leaves.
     */
    @RolesAllowed({"ehr-integration"})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @AuditedWrite.InItsTransaction
    public Uni<RestResponse<StoredVisit>> record(VisitRequest request, RoutingContext context) {
        VisitData content = visits.prepare(required(request));
        SourceSystemAccess.require(identity, content.sourceSystem());
        AuditedWrite audit = AuditedWrite.of(context);
        int created = RestResponse.StatusCode.CREATED;
        Function<UUID, AuditPolicy.Row> record = audit == null ? null
                : visitId -> audit.row(created, List.of(visitId.toString()));
        return visits.record(content, record).map(outcome -> {
            metrics.accepted(outcome.changed() ? "recorded" : "unchanged");
            if (!outcome.changed()) {
                return RestResponse.ok(outcome.visit());
            }
            if (audit != null) {
                audit.committed(created);
            }
            return RestResponse.ResponseBuilder.<StoredVisit>created(
                    URI.create("/api/v1/visits/" + outcome.visit().visit().visitId())).entity(outcome.visit()).build();
        });
    }

    /** A correction: the full new content under the same source key. 200; 409 if the visit was retracted. */
    @RolesAllowed({"ehr-integration"})
    @PUT
    @Path("/{visitId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<StoredVisit> correct(@RestPath UUID visitId, VisitRequest request) {
        VisitData content = visits.prepare(required(request));
        SourceSystemAccess.require(identity, content.sourceSystem()); // a correction keeps the stored source system
        return visits.correct(visitId, content)
                .invoke(outcome -> metrics.accepted("corrected")).map(RecordResult.Recorded::visit);
    }

    /** Retracts a visit registered in error. Retracting again changes nothing. */
    @RolesAllowed({"ehr-integration"})
    @DELETE
    @Path("/{visitId}")
    public Uni<StoredVisit> retract(@RestPath UUID visitId, @RestQuery String reason) {
        return visits.find(visitId).invoke(stored -> SourceSystemAccess.require(identity, stored.visit().sourceSystem()))
                .chain(() -> visits.retract(visitId, reason))
                .invoke(outcome -> metrics.accepted("retracted")).map(RecordResult.Recorded::visit);
    }

    @RolesAllowed({"ehr-integration", "bhv-admin", "centre"})
    @GET
    @Path("/{visitId}")
    public Uni<StoredVisit> get(@RestPath UUID visitId) {
        return visits.find(visitId).invoke(stored -> CentreAccess.require(identity, stored.visit().centreId(),
                "ehr-integration", "bhv-admin"));
    }

    /** Visits by visit date, newest first; {@code from}/{@code to} default to the last 12 months. */
    @RolesAllowed({"ehr-integration", "bhv-admin", "centre"})
    @GET
    public Uni<VisitService.VisitPage> list(@RestQuery String centreId, @RestQuery String from, @RestQuery String to,
                                            @RestQuery Integer page, @RestQuery Integer size) {
        if (centreId != null && !VisitValidator.HSA_ID.matcher(centreId).matches()) {
            throw new InvalidVisitException(List.of(new FieldError("centreId", "must be an HSA-id")));
        }
        CentreAccess.require(identity, centreId, "ehr-integration", "bhv-admin"); // a centre lists its own only
        LocalDate today = VisitService.today();
        LocalDate toDate = date("to", to, today);
        LocalDate fromDate = date("from", from, toDate.minusYears(1));
        int pageIndex = page == null ? 0 : page;
        int pageSize = size == null ? 100 : size;
        if (pageIndex < 0 || pageSize < 1 || pageSize > MAX_PAGE_SIZE || fromDate.isAfter(toDate)
                || (long) pageIndex * pageSize > MAX_OFFSET) {
            throw new InvalidVisitException(List.of(new FieldError("page/size/from/to",
                    "page >= 0, size 1-" + MAX_PAGE_SIZE + ", page x size at most " + MAX_OFFSET
                            + " (narrow from/to for more), from not after to")));
        }
        return visits.list(centreId, fromDate, toDate, pageIndex, pageSize);
    }

    /**
     * A back-fill: up to 10 000 visits, each recorded (or refused) on its own, in request order, answered per
     * item with the status a single POST would have had. The array is read one item at a time (no tree of the
     * whole batch is held), and reading stops at the 10 001st item. Valid items are stored in chunks of one
     * statement (so one transaction) each; a duplicate racing another client is answered like any repeated visit. A chunk that fails
     * as a whole (the database away) fails the request; the chunks before it stay recorded and are answered as
     * repeated visits when the batch is sent again.
     */
    @RolesAllowed({"ehr-integration"})
    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = VisitRequest.class)))
    public Uni<BatchResult> batch(byte[] body) throws IOException {
        List<BatchResult.Item> results = new ArrayList<>();
        List<Integer> valid = new ArrayList<>();
        List<VisitData> contents = new ArrayList<>();
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidVisitException(List.of(new FieldError("body", "a JSON array of visits is required")));
            }
            // one item's tokens at a time: the batch holds only what it keeps (its visits, its answers); the tokens
            // are read into the request as a single POST's body is (not built into a tree and converted from it)
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                if (i == MAX_BATCH) {
                    throw new WebApplicationException("at most " + MAX_BATCH + " visits per batch", 413);
                }
                TokenBuffer item = TokenBuffer.asCopyOfValue(parser);
                results.add(null);
                try {
                    VisitData content = visits.prepare(required(json.readValue(item.asParserOnFirstToken(),
                            VisitRequest.class)));
                    if (!SourceSystemAccess.allowed(identity, content.sourceSystem())) {
                        results.set(i, new BatchResult.Item(i, 403, null, "not a source system of this integration",
                                null));
                        continue;
                    }
                    contents.add(content);
                    valid.add(i);
                } catch (InvalidVisitException e) {
                    results.set(i, new BatchResult.Item(i, 400, null, "invalid visit", e.errors()));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    FieldError error = e instanceof JsonProcessingException j ? Problem.fieldError(j) : null;
                    results.set(i, new BatchResult.Item(i, 400, null, "not a visit",
                            List.of(error != null ? error : new FieldError("[" + i + "]", "is not a visit object"))));
                }
            }
        }
        return Multi.createFrom().range(0, (valid.size() + BATCH_CHUNK - 1) / BATCH_CHUNK)
                .onItem().transformToUniAndConcatenate(c -> {
                    int from = c * BATCH_CHUNK;
                    int to = Math.min(valid.size(), from + BATCH_CHUNK);
                    List<VisitData> chunk = contents.subList(from, to);
                    return visits.recordAll(chunk)
                            .invoke(outcomes -> {
                                for (int k = from; k < to; k++) {
                                    results.set(valid.get(k), item(valid.get(k), outcomes.get(k - from)));
                                }
                            });
                })
                .collect().last()
                .map(done -> {
                    for (BatchResult.Item item : results) {
                        switch (item.status()) {
                            case 201 -> metrics.accepted("recorded");
                            case 200 -> metrics.accepted("unchanged");
                            case 409 -> metrics.rejected("conflict", null);
                            case 403 -> metrics.rejected("forbidden", null);
                            default -> metrics.rejected("validation", item.errors());
                        }
                    }
                    return BatchResult.of(results);
                });
    }

    private static BatchResult.Item item(int index, RecordResult result) {
        if (result instanceof RecordResult.Recorded recorded) {
            return new BatchResult.Item(index, recorded.changed() ? 201 : 200, recorded.visit().visit().visitId(),
                    null, null);
        }
        if (result instanceof RecordResult.Conflict conflict) {
            return new BatchResult.Item(index, 409, conflict.visitId(), conflict.detail(), null);
        }
        return new BatchResult.Item(index, 400, null, "invalid visit", ((RecordResult.Refused) result).errors());
    }

    private static VisitRequest required(VisitRequest request) {
        if (request == null) {
            throw new InvalidVisitException(List.of(new FieldError("body", "a visit is required")));
        }
        return request;
    }

    private static LocalDate date(String field, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidVisitException(List.of(new FieldError(field, "must be a date YYYY-MM-DD")));
        }
    }
}
