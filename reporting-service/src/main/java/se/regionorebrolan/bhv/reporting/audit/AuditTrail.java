package se.regionorebrolan.bhv.reporting.audit;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.json.JsonString;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Records every API request in {@code audit_event} before its answer leaves: who (subject, roles, centre), what
 * (method and path template), which ids (path ids, and the query's centre and period) and the status. A request
 * whose record cannot be written is answered 500.
 */
@jakarta.inject.Singleton
public class AuditTrail {

    private final Pool pool;
    private final CurrentIdentityAssociation identities;

    public AuditTrail(Pool pool, CurrentIdentityAssociation identities) {
        this.pool = pool;
        this.identities = identities;
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return Uni.createFrom().voidItem();
        }
        MultivaluedMap<String, String> params;
        try {
            params = request.getUriInfo().getPathParameters();
        } catch (RuntimeException noResourceMatched) { // 404, 405, 415: the path is all there is
            params = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        }
        String template = path;
        TreeSet<String> ids = new TreeSet<>();
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            for (String value : param.getValue()) {
                template = template.replace("/" + value, "/{" + param.getKey() + "}");
                ids.add(value);
            }
        }
        for (String query : List.of("centreId", "period")) {
            String value = request.getUriInfo().getQueryParameters().getFirst(query);
            if (value != null) {
                ids.add(value);
            }
        }
        return write(request.getMethod() + " " + template, ids, response.getStatus());
    }

    /**
     * Writes one record for the current caller: also for an answer that is streamed (the evidence export), which
     * the response filter does not see, and which is therefore recorded before its first byte.
     */
    public Uni<Void> write(String action, java.util.Collection<String> ids, int status) {
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .chain(identity -> pool.preparedQuery("INSERT INTO audit_event (actor, roles, centre, action, ids,"
                                + " status) VALUES ($1, $2, $3, $4, $5, $6)")
                        .execute(Tuple.of(actor(identity), roles(identity), centre(identity), action,
                                ids.stream().limit(10_000).toArray(String[]::new), status)))
                .replaceWithVoid();
    }

    private static String actor(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    private static String roles(SecurityIdentity identity) {
        return identity == null ? "" : String.join(",", new TreeSet<>(identity.getRoles()));
    }

    private static String centre(SecurityIdentity identity) {
        if (identity == null || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return null;
        }
        Object claim = jwt.getClaim("centre_hsa_id");
        return claim instanceof JsonString text ? text.getString() : claim == null ? null : claim.toString();
    }
}
