package se.regionorebrolan.bhv.visit.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.visit.outbox.OutboxRelay;
import se.regionorebrolan.bhv.visit.service.FieldError;
import se.regionorebrolan.bhv.visit.service.InvalidVisitException;
import se.regionorebrolan.bhv.visit.service.VisitService;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** The door for EHR integrations (CONTRACT.md, visit-service). */
@Path("/api/v1/visits")
@Produces(MediaType.APPLICATION_JSON)
public class VisitResource {

    private final VisitService visits;
    private final OutboxRelay relay;

    public VisitResource(VisitService visits, OutboxRelay relay) {
        this.visits = visits;
        this.relay = relay;
    }

    /** 201 with the new visit; 200 with the stored one when the same visit comes again; 409 for other content. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<VisitData>> record(VisitRequest request) {
        if (request == null) {
            throw new InvalidVisitException(List.of(new FieldError("body", "a visit is required")));
        }
        VisitData content = visits.prepare(request);
        return visits.record(content)
                // two identical posts at once: the loser of the unique key sees the winner's row on the retry
                .onFailure(ConstraintViolationException.class).recoverWithUni(() -> visits.record(content))
                .map(recorded -> {
                    if (!recorded.created()) {
                        return RestResponse.ok(recorded.visit());
                    }
                    relay.wake();
                    return RestResponse.ResponseBuilder.<VisitData>created(
                                    URI.create("/api/v1/visits/" + recorded.visit().visitId()))
                            .entity(recorded.visit())
                            .build();
                });
    }

    @GET
    @Path("/{visitId}")
    public Uni<VisitData> get(@RestPath UUID visitId) {
        return visits.find(visitId).map(visit -> {
            if (visit == null) {
                throw new NotFoundException();
            }
            return visit;
        });
    }
}
