package se.regionorebrolan.bhv.kit;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every service's audit trail (README, "Audit trail"): each API request is recorded in {@code audit_event} before
 * its answer leaves — who (subject, roles, centre), what (method and route template), which ids (validated path and
 * query ids, and those the answer carries, {@link AuditScope}) and the status ({@link AuditPolicy}: requests without
 * a valid token are tallied). A write of a caller with a valid token is recorded a first time before it runs, with
 * status 0 ("begun"): a crash between the write's commit and its answer's record still leaves the record of the
 * attempt — or, on an endpoint marked {@link AuditedWrite.InItsTransaction}, the write commits the record with its
 * change and the answer is not recorded again (visit-service's single visits: one commit instead of three). A
 * request whose record cannot be written is answered 503 (the database away) or 500, as problem+json: nothing leaves
 * unaudited.
 */
@Singleton
public class AuditTrail {

    /** The status of the record written before a write runs. */
    public static final int BEGUN = 0;
    /** A write's flag: its outcome was recorded (by the response filter, or when its connection ended early). */
    private static final String RECORDED = "bhv.audit.recorded";
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "DELETE", "PATCH");

    private final AuditWriter writer;
    private final CurrentIdentityAssociation identities;
    private final AuditPolicy policy;
    private final AuditScope scope;

    public AuditTrail(AuditWriter writer, CurrentIdentityAssociation identities, Instance<AuditScope> scope,
                      @ConfigProperty(name = "bhv.audit.anonymous-window") Duration anonymousWindow) {
        this.writer = writer;
        this.identities = identities;
        this.policy = new AuditPolicy(anonymousWindow);
        this.scope = scope.isResolvable() ? scope.get() : new AuditScope() { };
    }

    /**
     * A write by a caller with a valid token: its record, with status 0, is committed before the write runs. Should
     * its connection end before its body arrived whole and before the framework answered anything (the body cut off
     * by {@link BodyBudget} as too slow, or the client gone, early in the body), its outcome is recorded when the
     * connection ends: 408 or 400, as {@code ProblemMappers} answers it when the framework sees the failed read.
     * Either way one outcome record per request.
     */
    @ServerRequestFilter
    public Uni<Void> begin(ContainerRequestContext request, ResourceInfo resource, RoutingContext context) {
        if (!AuditRequest.audited(request) || !WRITES.contains(request.getMethod())) {
            return Uni.createFrom().voidItem();
        }
        AuditRequest audited = AuditRequest.of(request, resource, scope.queryIds());
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .chain(identity -> {
                    String actor = actor(identity);
                    if (actor == null) {
                        return Uni.createFrom().voidItem();
                    }
                    AuditedWrite write = new AuditedWrite(policy, writer, actor, roles(identity), centre(identity),
                            audited.action(), audited.candidateIds());
                    // a body still arriving may never arrive: then its outcome is recorded when the connection ends
                    if (!context.request().isEnded()) {
                        AtomicBoolean recorded = new AtomicBoolean();
                        request.setProperty(RECORDED, recorded);
                        context.addEndHandler(ended -> {
                            if (!context.request().isEnded() && recorded.compareAndSet(false, true)) {
                                int status = ProblemMappers.notReceived(context).getStatus();
                                write.record(status).subscribe().with(done -> { }, failure -> LOG.warnf(
                                        "the audit record of %s (%d, the body did not arrive) could not be written:"
                                                + " %s", audited.action(), status, failure.toString()));
                            }
                        });
                    }
                    if (inItsTransaction(resource)) { // the write commits the record with its change
                        context.put(AuditedWrite.KEY, write);
                        return Uni.createFrom().voidItem();
                    }
                    return write.begin();
                });
    }

    private static boolean inItsTransaction(ResourceInfo resource) {
        try {
            return resource.getResourceMethod().isAnnotationPresent(AuditedWrite.InItsTransaction.class);
        } catch (RuntimeException noResourceMatched) {
            return false;
        }
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource,
                            RoutingContext context) {
        if (!AuditRequest.audited(request)) {
            return Uni.createFrom().voidItem();
        }
        if (request.getProperty(RECORDED) instanceof AtomicBoolean recorded && !recorded.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem(); // recorded when its connection ended (begin)
        }
        AuditedWrite write = AuditedWrite.of(context);
        if (write != null && write.committedAs(response.getStatus())) {
            return Uni.createFrom().voidItem(); // recorded in the write's own transaction
        }
        AuditRequest audited = AuditRequest.of(request, resource, scope.queryIds());
        List<String> ids = new ArrayList<>(audited.candidateIds());
        ids.addAll(scope.answeredIds(response.getEntity()));
        return write(audited.action(), ids, response.getStatus())
                .onFailure().invoke(failure -> answerInstead(response, Problem.unexpected(failure,
                        "The request's audit record could not be written. Sending the same request again is safe.")))
                .onFailure().recoverWithNull();
    }

    /**
     * The answer when the record cannot be written — 503 with Retry-After while the database is away, else 500 — as
     * problem+json (a failing response filter would otherwise leave the framework's plain-text 500).
     */
    private static void answerInstead(ContainerResponseContext response, RestResponse<Problem> problem) {
        response.getHeaders().remove(HttpHeaders.LOCATION);
        response.setStatus(problem.getStatus());
        response.setEntity(problem.getEntity());
        response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        problem.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                response.getHeaders().put(name, values);
            }
        });
    }

    /**
     * Writes the record of the current caller's request: also for an answer that is streamed (an export), which the
     * response filter does not see, and which is therefore recorded before its first byte.
     */
    public Uni<Void> write(String action, Collection<String> ids, int status) {
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .chain(identity -> writer.append(policy.rows(actor(identity), roles(identity), centre(identity),
                        action, ids, status)));
    }

    /** The caller, or null without a valid token. */
    private static String actor(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }

    private static String roles(SecurityIdentity identity) {
        return identity == null ? "" : String.join(",", new TreeSet<>(identity.getRoles()));
    }

    private static String centre(SecurityIdentity identity) {
        return CentreAccess.claimedCentre(identity);
    }
}
