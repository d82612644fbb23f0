package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The audit records of one write by a caller with a valid token (README, "Audit trail"): {@link AuditTrail} writes its
 * "begun" record and, should its body never arrive, its outcome through it. A write may also commit its record in its
 * own transaction: on an endpoint marked {@link InItsTransaction}, {@link AuditTrail} writes no "begun" record before
 * the write runs; the write stores {@link #row} with its data — the record and the change commit together, or
 * neither — and says so with {@link #committed}; the answer is then not recorded again, unless its status is another
 * one. A request whose write did not commit such a row (refused, unchanged, the database away) is recorded with its
 * answer, as every request is.
 * An endpoint that carries writes of more than one kind (FHIR's {@code POST /fhir}: a record, a correction or a
 * retraction) records the "begun" row itself, with {@link #begin}, before a write that does not commit its own row.
 */
public final class AuditedWrite {

    /** On a write endpoint whose write records the request in its own transaction. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface InItsTransaction {
    }

    static final String KEY = "bhv.audit.write";

    private final AuditPolicy policy;
    private final AuditWriter writer;
    private final String actor;
    private final String roles;
    private final String centre;
    private final String action;
    private final List<String> candidateIds;
    private volatile int committed = -1;

    AuditedWrite(AuditPolicy policy, AuditWriter writer, String actor, String roles, String centre, String action,
                 List<String> candidateIds) {
        this.policy = policy;
        this.writer = writer;
        this.actor = actor;
        this.roles = roles;
        this.centre = centre;
        this.action = action;
        this.candidateIds = candidateIds;
    }

    /** The current request's, or null (an endpoint not marked, or a caller without a valid token). */
    public static AuditedWrite of(RoutingContext context) {
        return context.get(KEY);
    }

    /** The request's record, with the answer's status and the identifiers the answer carries. */
    public AuditPolicy.Row row(int status, Collection<String> answeredIds) {
        List<String> ids = new ArrayList<>(candidateIds);
        ids.addAll(answeredIds);
        return policy.rows(actor, roles, centre, action, ids, status).get(0);
    }

    /**
     * Commits the "begun" record ({@link AuditTrail#BEGUN}, the ids known from the request), as the audit trail does
     * before every write not marked {@link InItsTransaction}; on a marked endpoint, for a write of this request that
     * will not commit its own record. Written when the answered {@code Uni} is subscribed to, not before.
     */
    public Uni<Void> begin() {
        return record(AuditTrail.BEGUN);
    }

    /** Commits the request's record of this status, with the ids known from the request (on subscription). */
    Uni<Void> record(int status) {
        return Uni.createFrom().deferred(() -> writer.append(policy.rows(actor, roles, centre, action, candidateIds,
                status)));
    }

    /** The write committed the row of this status. */
    public void committed(int status) {
        committed = status;
    }

    /** Whether an answer of this status is already recorded. */
    boolean committedAs(int status) {
        return committed == status;
    }
}
