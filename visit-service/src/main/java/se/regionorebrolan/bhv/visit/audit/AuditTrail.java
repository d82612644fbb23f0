package se.regionorebrolan.bhv.visit.audit;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonString;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import se.regionorebrolan.bhv.visit.config.VisitConfig;
import se.regionorebrolan.bhv.kit.AuditRequest;
import se.regionorebrolan.bhv.kit.AuditPolicy;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import se.regionorebrolan.bhv.visit.rest.BatchResult;
import se.regionorebrolan.bhv.visit.service.StoredVisit;
import se.regionorebrolan.bhv.visit.service.VisitService;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Records every API request in {@code audit_event} before its answer leaves: who (subject, roles, centre), what
 * (method and route template), which ids (validated path and query ids, and the ids of the visits answered) and the
 * status ({@link AuditPolicy}: requests without a valid token are tallied). A request whose record cannot be written
 * is answered 500: no visit data leaves unaudited.
 */
public class AuditTrail {

    private final AuditWriter writer;
    private final CurrentIdentityAssociation identities;
    private final AuditPolicy policy;

    public AuditTrail(AuditWriter writer, CurrentIdentityAssociation identities, VisitConfig config) {
        this.writer = writer;
        this.identities = identities;
        this.policy = new AuditPolicy(config.audit().anonymousWindow());
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (!AuditRequest.audited(request)) {
            return Uni.createFrom().voidItem();
        }
        AuditRequest audited = AuditRequest.of(request, resource, List.of("centreId"));
        List<String> ids = new ArrayList<>(audited.candidateIds());
        ids.addAll(answered(response.getEntity()));
        int status = response.getStatus();
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .chain(identity -> writer.append(policy.rows(actor(identity), roles(identity), centre(identity),
                        audited.action(), ids, status)));
    }

    /** The ids of the visits an answer carries. */
    private static List<String> answered(Object entity) {
        List<String> ids = new ArrayList<>();
        if (entity instanceof se.regionorebrolan.bhv.visit.fhir.FhirResource.Answer fhir && fhir.visitId() != null) {
            ids.add(fhir.visitId().toString());
        } else if (entity instanceof StoredVisit visit) {
            ids.add(String.valueOf(visit.visit().visitId()));
        } else if (entity instanceof VisitService.VisitPage page) {
            page.items().forEach(v -> ids.add(String.valueOf(v.visit().visitId())));
        } else if (entity instanceof BatchResult batch) {
            batch.items().stream().filter(i -> i.visitId() != null).forEach(i -> ids.add(i.visitId().toString()));
        }
        return ids;
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
