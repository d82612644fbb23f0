package se.regionorebrolan.bhv.reporting.rest;

import se.regionorebrolan.bhv.kit.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.kit.FieldError;

import java.util.List;
import java.util.stream.Collectors;

/** Every failure as an RFC 9457 problem; input values are never echoed. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String VALIDATION = "urn:bhv:problem:validation";

    @JsonInclude(JsonInclude.Include.NON_NULL)

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidRequestException e) {
        return respond(new Problem(VALIDATION, "The request is not valid",
                400, "One or more fields are invalid; nothing was changed.", e.errors()));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return respond(new Problem(VALIDATION, "The request is not valid", 400,
                "A field has a value of the wrong type or an unknown value; nothing was changed.",
                List.of(new FieldError(field.isEmpty() ? "body" : field, "has a wrong type or value"))));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> malformed(JsonProcessingException e) {
        return respond(new Problem("urn:bhv:problem:malformed-json", "Malformed JSON", 400,
                "The request body is not well-formed JSON (or a number is out of range); nothing was changed.", null));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e) {
        if (e.getCause() instanceof MismatchedInputException mismatched) {
            return mismatched(mismatched);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json);
        }
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        // our own exceptions carry a detail written for the caller; the framework's say only the status
        String detail = e.getClass().getPackageName().startsWith("jakarta") && e.getMessage() != null
                && !e.getMessage().startsWith("HTTP ") ? e.getMessage() : title;
        return respond(new Problem("about:blank", title, status, detail, null));
    }

    /** Too many evidence exports at once: 429 with Retry-After; nothing was started. */
    @ServerExceptionMapper
    public RestResponse<Problem> tooMany(ReportResource.TooManyExportsException e) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.TOO_MANY_REQUESTS,
                        new Problem("urn:bhv:problem:too-many-exports", "Too Many Requests", 429,
                                "Too many evidence exports run at once; try again in " + e.retryAfterSeconds
                                        + " seconds.", null))
                .type(new MediaType("application", "problem+json"))
                .header("Retry-After", Integer.toString(e.retryAfterSeconds)).build();
    }

    /** No token, or one that is not valid (signature, issuer, expiry): 401, with the Bearer challenge. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public RestResponse<Problem> unauthenticated(RuntimeException e) {
        return RestResponse.ResponseBuilder.fromResponse(respond(new Problem("urn:bhv:problem:unauthenticated",
                        "Unauthorized", 401, "A valid bearer token of the region's identity provider is required.",
                        null)))
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without the role, or for another centre's data: 403. */
    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e) {
        return respond(new Problem("urn:bhv:problem:forbidden", "Forbidden", 403,
                "The token's roles do not allow this request; nothing was changed.", null));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e) {
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return respond(new Problem("about:blank", "Internal Server Error", 500,
                "The request could not be completed; nothing was changed.", null));
    }

    private static RestResponse<Problem> respond(Problem problem) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(problem.status()), problem)
                .type(new MediaType("application", "problem+json")).build();
    }
}
