package se.regionorebrolan.bhv.visit.rest;

import se.regionorebrolan.bhv.kit.Problem;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.visit.domain.InvalidVisitException;
import se.regionorebrolan.bhv.visit.domain.VisitConflictException;
import se.regionorebrolan.bhv.visit.service.VisitMetrics;
import se.regionorebrolan.bhv.visit.domain.VisitNotFoundException;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Turns every failure into a problem+json answer. No input value is ever echoed: it may be a personnummer. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TYPE = "urn:bhv:problem:";

    private final VisitMetrics metrics;

    public ProblemMappers(VisitMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidVisitException e) {
        metrics.rejected("validation", e.errors());
        return new Problem(TYPE + "validation", "The visit is not valid", 400,
                "One or more fields are invalid; nothing was stored.", e.errors()).response();
    }

    /** An operator's request that is not valid (a discarded event's reason). */
    @ServerExceptionMapper
    public RestResponse<Problem> invalidRequest(InvalidRequestException e) {
        return new Problem(TYPE + "validation", "The request is not valid", 400,
                "One or more fields are invalid; nothing was changed.", e.errors()).response();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(VisitNotFoundException e) {
        return new Problem(TYPE + "not-found", "Visit not found", 404, e.getMessage(), null).response();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> conflict(VisitConflictException e) {
        metrics.rejected("conflict", null);
        return new Problem(TYPE + "conflict", "Conflict with the stored visit", 409, e.getMessage(), null)
                .response();
    }

    /** Declared for the exact type, so that Quarkus' own mapper (which echoes the value) never answers. */
    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unreadable(JsonProcessingException e) {
        FieldError error = fieldError(e);
        metrics.rejected(error != null ? "validation" : "malformed-json", error != null ? List.of(error) : null);
        if (error != null) {
            return new Problem(TYPE + "validation", "The visit is not valid", 400,
                    "A field has a value of the wrong type or an unknown value; nothing was stored.",
                    List.of(error)).response();
        }
        return new Problem(TYPE + "malformed-json", "Malformed JSON", 400,
                "The request body is not well-formed JSON; nothing was stored.", null).response();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json); // the JSON reader wraps what it cannot bind
        }
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return new Problem("about:blank", title, status, title, null).response();
    }

    /** No token, or one that is not valid (signature, issuer, expiry): 401, with the Bearer challenge. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public RestResponse<Problem> unauthenticated(RuntimeException e) {
        return RestResponse.ResponseBuilder.fromResponse(new Problem(TYPE + "unauthenticated", "Unauthorized", 401,
                        "A valid bearer token of the region's identity provider is required.", null).response())
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without the role, or for another centre's data: 403. */
    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e) {
        return new Problem(TYPE + "forbidden", "Forbidden", 403,
                "The token's roles do not allow this request; nothing was changed.", null).response();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e) {
        // The class only: a message could quote input.
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return new Problem("about:blank", "Internal Server Error", 500,
                "The request could not be completed; nothing was stored. Retrying with the same body is safe.", null)
                .response();
    }

    /** The field a binding error is about, without its value; null when the JSON itself is malformed. */
    static FieldError fieldError(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return null;
        }
        String field = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return new FieldError(field, expected(mapping));
    }

    private static String expected(JsonMappingException e) {
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return "unknown value; allowed: " + Arrays.stream(format.getTargetType().getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().getSimpleName().equals("LocalDate")) {
            return "must be a date YYYY-MM-DD";
        }
        return "has the wrong type";
    }
}
