package se.regionorebrolan.bhv.kit;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The operator's hand on this service's dead letters ({@code bhv-admin}; deploy/README.md, "Replay dead letters"):
 * how many wait per topic, and a replay of one topic's after the cause was fixed.
 */
@Path("/api/v1/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("bhv-admin")
public class DeadLetterResource {

    /** The dead letters of one topic this service reads. */
    public record Waiting(String topic, String deadLetterTopic, long waiting) {
    }

    private final DeadLetters deadLetters;
    private final Instance<DeadLetterHandler> handlers;

    public DeadLetterResource(DeadLetters deadLetters, Instance<DeadLetterHandler> handlers) {
        this.deadLetters = deadLetters;
        this.handlers = handlers;
    }

    @GET
    @Blocking
    public List<Waiting> waiting() {
        return handlers.stream()
                .map(h -> new Waiting(h.topic(), deadLetters.topic(h.topic()), deadLetters.waiting(h)))
                .toList();
    }

    /** Processes the dead letters of {@code topic} again; what still fails goes back with its new reason. */
    @POST
    @Path("/replay")
    @Blocking
    public DeadLetters.Replay replay(@QueryParam("topic") String topic) {
        DeadLetterHandler handler = handlers.stream().filter(h -> h.topic().equals(topic)).findFirst()
                .orElseThrow(() -> new NotFoundException("this service reads no such topic"));
        try {
            return deadLetters.replay(handler);
        } catch (DeadLetters.ReplayRunningException e) {
            throw new WebApplicationException(Response.Status.CONFLICT);
        }
    }
}
