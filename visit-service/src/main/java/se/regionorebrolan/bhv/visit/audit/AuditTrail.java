package se.regionorebrolan.bhv.visit.audit;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonString;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import se.regionorebrolan.bhv.visit.rest.BatchResult;
import se.regionorebrolan.bhv.visit.service.StoredVisit;
import se.regionorebrolan.bhv.visit.service.VisitService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Records every API request in {@code audit_event} before its answer leaves: who (subject, roles, centre), what
 * (method and path template), which ids (path and query ids, and the ids of the visits answered) and the status.
 * A request whose record cannot be written is answered 500: no visit data leaves unaudited.
 */
public class AuditTrail {

    private final AuditWriter writer;
    private final CurrentIdentityAssociation identities;

    public AuditTrail(AuditWriter writer, CurrentIdentityAssociation identities) {
        this.writer = writer;
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
        String centreQuery = request.getUriInfo().getQueryParameters().getFirst("centreId");
        if (centreQuery != null) {
            ids.add(centreQuery);
        }
        ids.addAll(answered(response.getEntity()));
        String action = request.getMethod() + " " + template;
        int status = response.getStatus();
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .chain(identity -> writer.append(actor(identity), roles(identity), centre(identity), action,
                        ids.stream().limit(10_000).toArray(String[]::new), status));
    }

    /** The ids of the visits an answer carries. */
    private static List<String> answered(Object entity) {
        List<String> ids = new ArrayList<>();
        if (entity instanceof StoredVisit visit) {
            ids.add(String.valueOf(visit.visit().visitId()));
        } else if (entity instanceof VisitService.VisitPage page) {
            page.items().forEach(v -> ids.add(String.valueOf(v.visit().visitId())));
        } else if (entity instanceof BatchResult batch) {
            batch.items().stream().filter(i -> i.visitId() != null).forEach(i -> ids.add(i.visitId().toString()));
        }
        return ids;
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
