package se.regionorebrolan.bhv.reporting.rest;

import se.regionorebrolan.bhv.kit.Problem;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** reporting-service's own failures as problem+json (the common ones: service-kit {@code ProblemMappers}). */
public class ProblemMapper {

    /** Too many evidence exports at once: 429 with Retry-After; nothing was started. */
    @ServerExceptionMapper
    public RestResponse<Problem> tooMany(ReportResource.TooManyExportsException e) {
        return Problem.tooManyRequests(Problem.type("too-many-exports"), "Too many evidence exports run at once;"
                + " try again in " + e.retryAfterSeconds + " seconds.", e.retryAfterSeconds);
    }
}
