package se.regionorebrolan.bhv.kit;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

import java.util.HashMap;
import java.util.Map;

/**
 * The W3C {@code traceparent} of a trace context, written by OpenTelemetry's own propagator: stored with an outbox
 * event or a payout line and sent as the Kafka record's header, so that the trace of the request goes on in the
 * consumers although the record is sent later, outside that request.
 */
public final class TraceContext {

    private TraceContext() {
    }

    /** The current span's {@code traceparent}, or null when there is none (tracing off, or no request). */
    public static String traceParent() {
        return traceParent(Context.current());
    }

    /** The {@code traceparent} of the context's span, or null when it has none. */
    public static String traceParent(Context context) {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return carrier.get("traceparent");
    }
}
