package se.regionorebrolan.bhv.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/**
 * An RFC 9457 problem detail, as every service answers it, and the answers every service gives alike. Never carries
 * personal data or a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    public RestResponse<Problem> response() {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(status), this)
                .type(MEDIA_TYPE)
                .build();
    }

    public static RestResponse<Problem> of(int status, String type, String title, String detail,
                                           List<FieldError> errors) {
        return new Problem(type, title, status, detail, errors).response();
    }

    /** 429 with {@code Retry-After}: the request was not started; the detail says when to send it again. */
    public static RestResponse<Problem> tooManyRequests(String type, String detail, int retryAfterSeconds) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.TOO_MANY_REQUESTS,
                        new Problem(type, "Too Many Requests", 429, detail, null))
                .type(MEDIA_TYPE)
                .header("Retry-After", Integer.toString(retryAfterSeconds)).build();
    }

    private static final String TYPE = "urn:bhv:problem:";
    private static final Logger LOG = Logger.getLogger(Problem.class);

    /** 400 for fields that are not valid; {@code what}: "request", "visit". */
    public static RestResponse<Problem> invalid(String what, String detail, List<FieldError> errors) {
        return of(400, TYPE + "validation", "The " + what + " is not valid", detail, errors);
    }

    /**
     * A body that cannot be read: 400 naming the field of a wrong type or value (never the value: it may be a
     * personnummer), or malformed JSON. {@code unchanged}: "nothing was changed", "nothing was stored".
     */
    public static RestResponse<Problem> unreadable(JsonProcessingException e, String what, String unchanged) {
        FieldError error = fieldError(e);
        if (error != null) {
            return invalid(what, "A field has a value of the wrong type or an unknown value; " + unchanged + ".",
                    List.of(error));
        }
        return of(400, TYPE + "malformed-json", "Malformed JSON", "The request body is not well-formed JSON (or a"
                + " number is out of range); " + unchanged + ".", null);
    }

    /** The field a binding error is about, without its value; null when the JSON itself is malformed. */
    public static FieldError fieldError(JsonProcessingException e) {
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

    /**
     * A JAX-RS exception's status; the detail is the exception's own message when we wrote one for the caller, the
     * status' phrase for the framework's.
     */
    public static RestResponse<Problem> web(WebApplicationException e) {
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = e.getClass().getPackageName().startsWith("jakarta") && e.getMessage() != null
                && !e.getMessage().startsWith("HTTP ") ? e.getMessage() : title;
        return of(e.getResponse().getStatus(), "about:blank", title, detail, null);
    }

    /** No token, or one that is not valid (signature, issuer, expiry): 401, with the Bearer challenge. */
    public static RestResponse<Problem> unauthenticated() {
        return RestResponse.ResponseBuilder.fromResponse(of(401, TYPE + "unauthenticated", "Unauthorized",
                "A valid bearer token of the region's identity provider is required.", null))
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without the role, or for another centre's data: 403. */
    public static RestResponse<Problem> forbidden() {
        return of(403, TYPE + "forbidden", "Forbidden", "The token's roles do not allow this request; nothing was"
                + " changed.", null);
    }

    /** 500, logging the class only: a message could quote input. */
    public static RestResponse<Problem> unexpected(Throwable e, String detail) {
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return of(500, "about:blank", "Internal Server Error", detail, null);
    }
}
