package se.regionorebrolan.bhv.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
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

    /** A problem type of ours: {@code urn:bhv:problem:} and its name. */
    public static String type(String name) {
        return "urn:bhv:problem:" + name;
    }

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
        return retryAfter(of(429, type, "Too Many Requests", detail, null), retryAfterSeconds);
    }

    private static RestResponse<Problem> retryAfter(RestResponse<Problem> problem, int seconds) {
        return RestResponse.ResponseBuilder.fromResponse(problem).header("Retry-After", Integer.toString(seconds))
                .build();
    }

    private static final Logger LOG = Logger.getLogger(Problem.class);

    /** 400 for fields that are not valid; {@code what}: "request", "visit". */
    public static RestResponse<Problem> invalid(String what, String detail, List<FieldError> errors) {
        return of(400, type("validation"), "The " + what + " is not valid", detail, errors);
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
        return of(400, type("malformed-json"), "Malformed JSON", "The request body is not well-formed JSON (or a"
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
        return RestResponse.ResponseBuilder.fromResponse(of(401, type("unauthenticated"), "Unauthorized",
                "A valid bearer token of the region's identity provider is required.", null))
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without the role, or for another centre's data: 403. */
    public static RestResponse<Problem> forbidden() {
        return of(403, type("forbidden"), "Forbidden", "The token's roles do not allow this request; nothing was"
                + " changed.", null);
    }

    /** Seconds after which a request refused while the database is away may be sent again. */
    public static final int UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    /**
     * A failure no mapper knows: 503 with {@code Retry-After} when it is the database being away ({@link
     * #databaseAway}: a WARN, since it is an outage and not a fault of ours), else 500 (an ERROR). Either way the
     * class only is logged (a message could quote input).
     */
    public static RestResponse<Problem> unexpected(Throwable e, String detail) {
        if (databaseAway(e)) {
            LOG.warnf("database unreachable, answered 503: %s", e.getClass().getName());
            return retryAfter(of(503, type("unavailable"), "Service Unavailable", "The service's database cannot be"
                    + " reached just now. Sending the same request again is safe: send it in "
                    + UNAVAILABLE_RETRY_AFTER_SECONDS + " seconds.", null), UNAVAILABLE_RETRY_AFTER_SECONDS);
        }
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return of(500, "about:blank", "Internal Server Error", detail, null);
    }

    /**
     * Whether a failure (or one of its causes) is the database being away: no connection could be made or a
     * connection was lost ({@code ConnectException}, {@code SocketException}, a closed channel or connection), or
     * PostgreSQL refused for its own state — SQLSTATE class 08 (connection), 57P (shutting down, starting up) or 53
     * (out of connections, memory or disk). A statement the database refuses for its content is none of these.
     */
    public static boolean databaseAway(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof ClosedChannelException
                    || t instanceof ClosedConnectionException) {
                return true;
            }
            if (t instanceof DatabaseException db && db.getSqlState() != null && (db.getSqlState().startsWith("08")
                    || db.getSqlState().startsWith("57P") || db.getSqlState().startsWith("53"))) {
                return true;
            }
        }
        return false;
    }
}
