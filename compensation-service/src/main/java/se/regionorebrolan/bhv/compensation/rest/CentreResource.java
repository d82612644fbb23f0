package se.regionorebrolan.bhv.compensation.rest;

import jakarta.annotation.security.RolesAllowed;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.compensation.messaging.CentrePublisher;
import se.regionorebrolan.bhv.compensation.model.Centre;
import se.regionorebrolan.bhv.compensation.service.CentreService;

import java.util.List;

/** The centre registry (CONTRACT.md): maintained by the central child-health unit. */
@Path("/api/v1/centres")
@Produces(MediaType.APPLICATION_JSON)
public class CentreResource {

    private final CentreService centres;
    private final CentrePublisher publisher;

    public CentreResource(CentreService centres, CentrePublisher publisher) {
        this.centres = centres;
        this.publisher = publisher;
    }

    /**
     * 201 when the centre is new, 200 when it was updated; answered once the centre is also on
     * {@code bhv.centres.v1}. If publishing fails the answer is 500 and the same PUT may simply be repeated.
     */
    @RolesAllowed({"bhv-admin"})
    @PUT
    @Path("/{centreId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<CentreView>> put(@RestPath String centreId, CentreRequest request) {
        return centres.put(centreId, request).call(saved -> publisher.publish(saved.centre()))
                .map(saved -> RestResponse.status(saved.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK,
                        CentreView.of(saved.centre())));
    }

    @RolesAllowed({"bhv-admin", "finance", "reporting"})
    @GET
    @WithSession
    public Uni<List<CentreView>> list() {
        return Centre.<Centre>listAll(Sort.by("centreId"))
                .map(all -> all.stream().map(CentreView::of).toList());
    }
}
