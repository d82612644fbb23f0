package se.regionorebrolan.bhv.compensation.audit;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.json.JsonString;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import se.regionorebrolan.bhv.kit.AuditRequest;
import se.regionorebrolan.bhv.kit.AuditPolicy;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * Records every API request in {@code audit_event} before its answer leaves: who (subject, roles, centre), what
 * (method and route template), which ids (validated path ids, and the query's centre and period) and the status
 * ({@link AuditPolicy}: requests without a valid token are tallied). A request whose record cannot be written is
 * answered 500.
 */
public class AuditTrail {

    private final Pool pool;
    private final CurrentIdentityAssociation identities;
    private final AuditPolicy policy;

    public AuditTrail(Pool pool, CurrentIdentityAssociation identities,
                      @ConfigProperty(name = "bhv.audit.anonymous-window") Duration anonymousWindow) {
        this.pool = pool;
        this.identities = identities;
        this.policy = new AuditPolicy(anonymousWindow);
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (!AuditRequest.audited(request)) {
            return Uni.createFrom().voidItem();
        }
        AuditRequest audited = AuditRequest.of(request, resource, List.of("centreId", "period"));
        int status = response.getStatus();
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .chain(identity -> insert(policy.rows(actor(identity), roles(identity), centre(identity),
                        audited.action(), audited.candidateIds(), status)));
    }

    private Uni<Void> insert(List<AuditPolicy.Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(AuditPolicy.INSERT).executeBatch(rows.stream().map(r -> Tuple.from(r.values())).toList())
                .replaceWithVoid();
    }

    /** The caller, or null without a valid token. */
    private static String actor(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? null : identity.getPrincipal().getName();
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
