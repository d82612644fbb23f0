package se.regionorebrolan.bhv.kit;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the request bodies a replica reads at once, so that many large bodies arriving together cannot exhaust
 * its heap (each body is held whole while it is read, and a batch's visits while they are stored): the declared
 * lengths of the large bodies in flight add up to at most {@code bhv.http.body-budget}. A large body that does not
 * fit is answered 429 with {@code Retry-After} before it is read (a client sending {@code Expect: 100-continue}
 * never sends it) and changes nothing. Small bodies (up to {@link #SMALL} bytes: a visit, a form, a FHIR Bundle of a
 * visit) are not counted, so single visits never wait for a back-fill. A body without a declared length (HTTP/1.1
 * chunks, HTTP/2 frames) counts as the largest the service accepts ({@code quarkus.http.limits.max-body-size}). A body's place is given back
 * when its answer is sent or its connection closes. Runs after the token check (401 and 403 first) and before the
 * audit trail's first record.
 */
@Singleton
public class BodyBudget {

    /** A body up to this many bytes is not counted. */
    public static final long SMALL = 64 * 1024;
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final Set<HttpMethod> MAY_HAVE_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final long budget;
    private final long largest;
    private final AtomicLong inFlight = new AtomicLong();

    public BodyBudget(@ConfigProperty(name = "bhv.http.body-budget", defaultValue = "16M") MemorySize budget,
                      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                      MemorySize largest) {
        // one body of the largest size the service accepts always fits, on its own
        this.budget = Math.max(budget.asLongValue(), largest.asLongValue());
        this.largest = largest.asLongValue();
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 1)
    public Optional<RestResponse<Problem>> admit(HttpServerRequest request, RoutingContext context) {
        long weight = weight(request);
        if (weight <= SMALL) {
            return Optional.empty();
        }
        if (!take(weight)) {
            return Optional.of(Problem.tooManyRequests("urn:bhv:problem:busy", "Too many large request bodies are"
                    + " being read at once; nothing was changed. Send the request again in " + RETRY_AFTER_SECONDS
                    + " seconds.", RETRY_AFTER_SECONDS));
        }
        context.addEndHandler(done -> inFlight.addAndGet(-weight));
        return Optional.empty();
    }

    /** The declared bytes of the large bodies being read or handled now. */
    public long inFlight() {
        return inFlight.get();
    }

    private boolean take(long weight) {
        for (long now = inFlight.get(); ; now = inFlight.get()) {
            if (now + weight > budget) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + weight)) {
                return true;
            }
        }
    }

    private long weight(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Long.parseLong(length.strip());
            } catch (NumberFormatException unreadable) {
                return largest; // the HTTP layer refuses it; counted as the largest meanwhile
            }
        }
        String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        boolean chunked = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        // HTTP/2 has no chunked encoding: a body without a declared length simply comes in frames
        boolean framed = request.version() == HttpVersion.HTTP_2 && MAY_HAVE_BODY.contains(request.method());
        return chunked || framed ? largest : 0;
    }
}
