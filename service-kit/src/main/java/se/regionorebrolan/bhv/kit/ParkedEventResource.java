package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

/** The operator's hand on parked outbox events ({@code bhv-admin}; deploy/README.md, "BhvOutboxParked"). */
@io.quarkus.arc.properties.IfBuildProperty(name = "bhv.outbox.enabled", stringValue = "true")
@Path("/api/v1/admin/outbox/parked")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("bhv-admin")
public class ParkedEventResource {

    /** Why an event is discarded: kept with it. */
    public record Discard(String reason) {
    }

    private final ParkedEvents parked;

    public ParkedEventResource(ParkedEvents parked) {
        this.parked = parked;
    }

    @GET
    public Uni<List<ParkedEvents.Parked>> list() {
        return parked.list();
    }

    @POST
    @Path("/{eventId}/release")
    public Uni<Void> release(@RestPath UUID eventId) {
        return parked.release(eventId);
    }

    @POST
    @Path("/{eventId}/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Void> discard(@RestPath UUID eventId, Discard body) {
        return parked.discard(eventId, body == null ? null : body.reason());
    }
}
