package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.kit.Problem;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import se.regionorebrolan.bhv.compensation.domain.RefusedException;

/** compensation-service's own failures as problem+json (the common ones: service-kit {@code ProblemMappers}). */
public class ProblemMappers {

    @ServerExceptionMapper
    public RestResponse<Problem> refused(RefusedException e) {
        return Problem.of(409, Problem.type("refused"), "Conflict", e.getMessage() + "; nothing was changed.", null);
    }
}
