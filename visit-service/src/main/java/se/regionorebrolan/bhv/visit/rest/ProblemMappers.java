package se.regionorebrolan.bhv.visit.rest;

import se.regionorebrolan.bhv.kit.Problem;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import se.regionorebrolan.bhv.visit.domain.InvalidVisitException;
import se.regionorebrolan.bhv.visit.domain.VisitConflictException;
import se.regionorebrolan.bhv.visit.service.VisitMetrics;
import se.regionorebrolan.bhv.visit.domain.VisitNotFoundException;

/**
 * visit-service's own failures as problem+json (the common ones: service-kit {@code ProblemMappers}). No input value
 * is ever echoed: it may be a personnummer.
 */
public class ProblemMappers {

    private final VisitMetrics metrics;

    public ProblemMappers(VisitMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidVisitException e) {
        metrics.rejected("validation", e.errors());
        return new Problem(Problem.type("validation"), "The visit is not valid", 400,
                "One or more fields are invalid; nothing was stored.", e.errors()).response();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(VisitNotFoundException e) {
        return new Problem(Problem.type("not-found"), "Visit not found", 404, e.getMessage(), null).response();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> conflict(VisitConflictException e) {
        metrics.rejected("conflict", null);
        return new Problem(Problem.type("conflict"), "Conflict with the stored visit", 409, e.getMessage(), null)
                .response();
    }
}
