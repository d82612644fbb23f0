package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.compensation.domain.CentreRequest;

import se.regionorebrolan.bhv.compensation.domain.Centre;

import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.compensation.service.CentreService;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;

/**
 * The centre registry (CONTRACT.md), maintained by the central child-health unit: the centres, and their
 * applications for fixed compensation with extended resource with the unit's decisions.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CentreResource {

    /** An application for the fixed model (seed 000: the centre's plan for the extended resource). */
    public record ApplicationRequest(LocalDate receivedOn, LocalDate requestedFrom, String plannedUse) {
    }

    /** The unit's decision: APPROVED from {@code effectiveOn}, REJECTED, or ENDED (variable again from it). */
    public record DecisionRequest(Centre.Outcome outcome, String decisionRef, LocalDate decidedOn,
                                  LocalDate effectiveOn) {
    }

    private final CentreService centres;

    public CentreResource(CentreService centres) {
        this.centres = centres;
    }

    /**
     * 201 when the centre is new, 200 when it was updated; answered once the centre is also on
     * {@code bhv.centres.v1} (its event is written to the outbox in the same transaction; with Kafka slow or away the
     * answer comes after at most 5 s all the same, and the event follows when the broker is back).
     */
    @RolesAllowed({"bhv-admin"})
    @PUT
    @Path("/centres/{centreId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<CentreView>> put(@RestPath String centreId, CentreRequest request) {
        return centres.put(centreId, request)
                .map(saved -> RestResponse.status(saved.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK,
                        CentreView.of(saved.centre())));
    }

    @RolesAllowed({"bhv-admin", "finance", "reporting"})
    @GET
    @Path("/centres")
    public Uni<List<CentreView>> list() {
        return centres.list().map(all -> all.stream().map(CentreView::of).toList());
    }

    /** One centre with the history of its model and figures, and its applications and decisions. */
    @RolesAllowed({"bhv-admin", "finance", "reporting"})
    @GET
    @Path("/centres/{centreId}")
    public Uni<CentreView> get(@RestPath String centreId) {
        return centres.get(centreId).chain(centre -> {
            if (centre == null) {
                throw new NotFoundException();
            }
            return centres.applications(centreId).map(applications -> CentreView.of(centre, applications));
        });
    }

    @RolesAllowed({"bhv-admin"})
    @POST
    @Path("/centres/{centreId}/fixed-applications")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Centre.Application>> apply(@RestPath String centreId, ApplicationRequest request) {
        ApplicationRequest r = request != null ? request : new ApplicationRequest(null, null, null);
        return centres.apply(centreId, r.receivedOn(), r.requestedFrom(), r.plannedUse())
                .map(a -> RestResponse.ResponseBuilder.<Centre.Application>created(URI.create(
                        "/api/v1/centres/" + centreId + "/fixed-applications/" + a.applicationId())).entity(a).build());
    }

    /** Records a decision; the centre is published (outbox) and its fixed compensation settled before the answer. */
    @RolesAllowed({"bhv-admin"})
    @POST
    @Path("/centres/{centreId}/fixed-applications/{applicationId}/decisions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Centre.Application>> decide(@RestPath String centreId,
                                                              @RestPath String applicationId,
                                                              DecisionRequest request) {
        if (applicationId == null || !applicationId.matches("\\d{1,18}")) {
            throw new NotFoundException();
        }
        DecisionRequest r = request != null ? request : new DecisionRequest(null, null, null, null);
        return centres.decide(centreId, Long.parseLong(applicationId), r.outcome(), r.decisionRef(), r.decidedOn(),
                        r.effectiveOn())
                .map(a -> RestResponse.status(RestResponse.Status.CREATED, a));
    }
}
