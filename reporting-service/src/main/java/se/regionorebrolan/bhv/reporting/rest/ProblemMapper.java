package se.regionorebrolan.bhv.reporting.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure as an RFC 9457 problem. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail) {
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        // our own exceptions carry a detail written for the caller; the framework's say only the status
        String detail = e.getClass().getPackageName().startsWith("jakarta") && e.getMessage() != null
                && !e.getMessage().startsWith("HTTP ") ? e.getMessage() : title;
        return respond(new Problem("about:blank", title, status, detail));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e) {
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return respond(new Problem("about:blank", "Internal Server Error", 500, "The report could not be computed."));
    }

    private static RestResponse<Problem> respond(Problem problem) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(problem.status()), problem)
                .type(new MediaType("application", "problem+json")).build();
    }
}
