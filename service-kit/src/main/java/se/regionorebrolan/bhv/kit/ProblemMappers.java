package se.regionorebrolan.bhv.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;

/**
 * The problem+json answers every service gives alike (CONTRACT.md: RFC 9457), input values never echoed. A service
 * maps only its own exceptions beside these (a second mapper for one of these types would be ambiguous); what it
 * needs to know of a refused body it learns through {@link Rejections}.
 */
public class ProblemMappers {

    private static final String UNCHANGED = "nothing was changed";
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** Told of every request refused for a body that cannot be read (visit-service counts them). */
    public interface Rejections {
        /** {@code error}: the field of a wrong type or value, or null when the JSON itself is malformed. */
        void unreadable(FieldError error);
    }

    private final Instance<Rejections> rejections;

    public ProblemMappers(Instance<Rejections> rejections) {
        this.rejections = rejections;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidRequestException e) {
        return Problem.invalid("request", "One or more fields are invalid; " + UNCHANGED + ".", e.errors());
    }

    /** Declared for the exact type, so that Quarkus' own mapper (which echoes the value) never answers. */
    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unreadable(JsonProcessingException e) {
        FieldError error = Problem.fieldError(e);
        rejections.forEach(r -> r.unreadable(error));
        return Problem.unreadable(e, "request", UNCHANGED);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json); // the JSON reader wraps what it cannot bind
        }
        return Problem.web(e);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public RestResponse<Problem> unauthenticated(RuntimeException e) {
        return Problem.unauthenticated();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e) {
        return Problem.forbidden();
    }

    /**
     * The body did not arrive whole: the client went away, or {@link BodyBudget} cut it off as too slow (answered 408,
     * so that the audit trail records that). Nothing was read whole, so nothing was changed, and there is nothing for
     * an operator to do. An {@code IOException} after the whole body had arrived is unexpected, as any other failure.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> bodyNotReceived(IOException e, RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            return unexpected(e);
        }
        LOG.infof("%s %s: the request's body did not arrive whole (%s)", request.method(), request.path(),
                BodyBudget.cutOff(context) != null ? "too slow: cut off" : "the client's connection ended");
        return notReceived(context);
    }

    /**
     * The answer to a body that did not arrive whole: 408 when {@link BodyBudget} cut it off as too slow, else 400
     * (the client went). Also what the audit trail records for such a request the framework never answered.
     */
    static RestResponse<Problem> notReceived(RoutingContext context) {
        Problem cutOff = BodyBudget.cutOff(context);
        return cutOff != null ? cutOff.response() : Problem.of(400, Problem.type("body-incomplete"),
                "Bad Request", "The request body did not arrive whole; " + UNCHANGED + ".", null);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e) {
        return Problem.unexpected(e, "The request could not be completed; " + UNCHANGED + ". Sending the same request"
                + " again is safe.");
    }
}
