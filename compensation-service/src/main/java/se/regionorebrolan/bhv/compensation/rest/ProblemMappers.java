package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.kit.Problem;
import se.regionorebrolan.bhv.kit.FieldError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.compensation.domain.RefusedException;

import java.util.List;
import java.util.stream.Collectors;

/** Every failure as problem+json; input values are never echoed. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidRequestException e) {
        return Problem.of(400, "urn:bhv:problem:validation", "The request is not valid",
                "One or more fields are invalid; nothing was changed.", e.errors());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> refused(RefusedException e) {
        return Problem.of(409, "urn:bhv:problem:refused", "Conflict", e.getMessage() + "; nothing was changed.", null);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return Problem.of(400, "urn:bhv:problem:validation", "The request is not valid",
                "A field has a value of the wrong type or an unknown value; nothing was changed.",
                List.of(new FieldError(field.isEmpty() ? "body" : field, "has a wrong type or value")));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> malformed(JsonProcessingException e) {
        return Problem.of(400, "urn:bhv:problem:malformed-json", "Malformed JSON",
                "The request body is not well-formed JSON; nothing was changed.", null);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e) {
        if (e.getCause() instanceof MismatchedInputException mismatched) {
            return mismatched(mismatched);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json);
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return Problem.of(e.getResponse().getStatus(), "about:blank", title, title, null);
    }

    /** No token, or one that is not valid (signature, issuer, expiry): 401, with the Bearer challenge. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public RestResponse<Problem> unauthenticated(RuntimeException e) {
        return RestResponse.ResponseBuilder.fromResponse(Problem.of(401, "urn:bhv:problem:unauthenticated",
                        "Unauthorized", "A valid bearer token of the region's identity provider is required.", null))
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without the role, or for another centre's data: 403. */
    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e) {
        return Problem.of(403, "urn:bhv:problem:forbidden", "Forbidden",
                "The token's roles do not allow this request; nothing was changed.", null);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e) {
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return Problem.of(500, "about:blank", "Internal Server Error",
                "The request could not be completed; nothing was changed.", null);
    }
}
