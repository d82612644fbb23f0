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
 * chunks, HTTP/2 frames) counts as the largest the service accepts ({@code quarkus.http.limits.max-body-size}). A
 * body's place is given back when its answer is sent or its connection closes. Runs after the token check (401 and
 * 403 first) and before the audit trail's first record.
 *
 * <p>A large body must also keep coming: {@code bhv.http.body-grace} after it was admitted, at least
 * {@code bhv.http.body-min-rate} bytes per second must have arrived on average, checked once a second. An upload that
 * stalls or trickles below that has its connection closed (HTTP/2: its stream reset; its failed read is answered and
 * audited 408 {@code urn:bhv:problem:body-too-slow}), so one stuck client gives its place back within seconds
 * instead of holding it until the connection's idle timeout (30 minutes by default) while every other back-fill is
 * refused. Nothing of a cut-off body was stored.
 */
@Singleton
public class BodyBudget {

    /** A body up to this many bytes is not counted. */
    public static final long SMALL = 64 * 1024;
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final Set<HttpMethod> MAY_HAVE_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    /** Set on a request cut off as too slow: the failure to read its body is answered, and audited, 408. */
    private static final String CUT_OFF = "bhv.body-too-slow";

    private final long budget;
    private final long largest;
    private final long minRate;
    private final long graceNanos;
    /** The answer to a body cut off as too slow. */
    private final Problem tooSlow;
    private final AtomicLong inFlight = new AtomicLong();

    public BodyBudget(BodyLimits limits,
                      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                      MemorySize largest) {
        // one body of the largest size the service accepts always fits, on its own
        this.budget = Math.max(limits.bodyBudget().asLongValue(), largest.asLongValue());
        this.largest = largest.asLongValue();
        this.minRate = limits.bodyMinRate().asLongValue();
        this.graceNanos = limits.bodyGrace().toNanos();
        this.tooSlow = new Problem(Problem.type("body-too-slow"), "Request Timeout", 408, "The request body arrived"
                + " too slowly (at least " + minRate + " bytes per second after the first "
                + limits.bodyGrace().toSeconds() + " seconds); nothing was changed. Send the request again.", null);
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 1)
    public Optional<RestResponse<Problem>> admit(HttpServerRequest request, RoutingContext context) {
        long weight = weight(request);
        if (weight <= SMALL) {
            return Optional.empty();
        }
        if (!take(weight)) {
            return Optional.of(Problem.tooManyRequests(Problem.type("busy"), "Too many large request bodies are"
                    + " being read at once; nothing was changed. Send the request again in " + RETRY_AFTER_SECONDS
                    + " seconds.", RETRY_AFTER_SECONDS));
        }
        long watch = watch(request, context);
        context.addEndHandler(done -> {
            context.vertx().cancelTimer(watch);
            inFlight.addAndGet(-weight);
        });
        return Optional.empty();
    }

    /** Once a second until the body has arrived: cuts off an upload slower than the minimum rate after the grace. */
    private long watch(HttpServerRequest request, RoutingContext context) {
        long admitted = System.nanoTime();
        return context.vertx().setPeriodic(1000, timer -> {
            if (request.isEnded()) {
                context.vertx().cancelTimer(timer);
                return;
            }
            long lateMillis = (System.nanoTime() - admitted - graceNanos) / 1_000_000L;
            if (lateMillis > 0 && request.bytesRead() < minRate * lateMillis / 1000) {
                context.vertx().cancelTimer(timer);
                context.put(CUT_OFF, tooSlow);
                // The body's read then fails, and the framework answers that (ProblemMappers) with the 408 above, which
                // the audit trail records; the answer itself cannot reach the client. Writing the 408 here first
                // instead left the framework writing a second answer, and each such request kept its failure on the
                // heap (about 2 kB). Over HTTP/2 only this request's stream ends.
                if (request.version() == HttpVersion.HTTP_2) {
                    context.response().reset();
                } else {
                    request.connection().close();
                }
            }
        });
    }

    /** The answer to a request whose body this budget cut off as too slow; null for any other request. */
    static Problem cutOff(RoutingContext context) {
        return context.get(CUT_OFF);
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
