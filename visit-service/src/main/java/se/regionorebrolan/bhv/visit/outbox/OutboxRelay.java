package se.regionorebrolan.bhv.visit.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.visit.Coalesced;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Publishes the outbox to Kafka in commit order and marks what was sent. An event is marked only after Kafka
 * acknowledged it, so a crash at any point re-sends (same event id: consumers de-duplicate) and never loses.
 * One relay at a time per database, under an advisory lock, so that events of a visit never overtake each other.
 * It wakes on every commit that adds to the outbox, of this replica directly and of others through LISTEN/NOTIFY,
 * and sweeps by a slow poll besides.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key of the relay ("VISITOBX" would not fit; any constant unique in this database). */
    private static final long RELAY_LOCK = 0x56495349544f42L;
    private static final int BATCH = 1000;

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final Coalesced relay = new Coalesced(this::publishBatchLogged);
    /** One NOTIFY at a time: the commits while one is on its way share the next. */
    private final Coalesced notifier = new Coalesced(this::notifyOthers);
    private volatile PgSubscriber subscriber;

    public OutboxRelay(Pool pool, @Channel("visit-events") MutinyEmitter<String> emitter) {
        this.pool = pool;
        this.emitter = emitter;
    }

    /** Asks for a relay run now; runs that are asked for while one is going fold into one more run. */
    public void wake() {
        relay.request();
    }

    // delayed: the Kafka channel is wired only once the application has started
    /**
     * Called after a transaction that added to the outbox has committed: wakes this relay, and notifies the
     * {@code outbox_event} channel so that the relays of the other replicas wake too.
     */
    public void committed() {
        wake();
        notifier.request();
    }

    private Uni<Boolean> notifyOthers() {
        return pool.query("NOTIFY outbox_event").execute().replaceWith(false)
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("NOTIFY failed, the other replicas' poll catches up: %s", failure.toString());
                    return false;
                });
    }

    /**
     * Listens on the {@code outbox_event} channel: a relay wakes for commits of any replica, not only its own.
     * It reconnects by itself when the database goes away.
     */
    void listen(@Observes StartupEvent event, Vertx vertx,
                @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                @ConfigProperty(name = "quarkus.datasource.username") String user,
                @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(user).setPassword(password.orElse(null));
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel("outbox_event").handler(payload -> wake());
        subscriber.connect().subscribe().with(ok -> wake(),
                failure -> LOG.warnf("cannot LISTEN for outbox commits; relying on the poll: %s", failure.toString()));
    }

    void stopListening(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    @Scheduled(every = "${bhv.outbox.poll-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** One batch; runs again at once while batches are full. */
    private Uni<Boolean> publishBatchLogged() {
        return publishBatch().map(sent -> sent > 0).onFailure().recoverWithItem(failure -> {
            LOG.warnf("outbox relay run failed, the next poll retries: %s", failure.toString());
            return false;
        });
    }

    /** One batch in one transaction: lock, read unsent in id order, send each and await its ack, mark sent. */
    Uni<Integer> publishBatch() {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(RELAY_LOCK))
                .flatMap(locked -> locked.iterator().next().getBoolean(0)
                        ? sendUnsent(conn)
                        : Uni.createFrom().item(0)));
    }

    private Uni<Integer> sendUnsent(SqlConnection conn) {
        return conn.preparedQuery("SELECT id, aggregate_id, payload, trace_parent FROM outbox_event WHERE sent_at IS NULL ORDER BY id LIMIT $1")
                .execute(Tuple.of(BATCH))
                .flatMap(rows -> {
                    List<Row> pending = new ArrayList<>();
                    rows.forEach(pending::add);
                    if (pending.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Long[] ids = pending.stream().map(r -> r.getLong("id")).toArray(Long[]::new);
                    // all handed to the producer in id order (it keeps that order per partition), then all acks
                    // awaited: one ack round trip per batch, not per event
                    return Uni.join().all(pending.stream().map(this::send).toList()).andFailFast()
                            .chain(() -> conn.preparedQuery("UPDATE outbox_event SET sent_at = now() WHERE id = ANY($1)")
                                    .execute(Tuple.of(ids)))
                            .replaceWith(pending.size());
                });
    }

    /**
     * The W3C {@code traceparent} of the current span, or null when there is none (tracing off, or no request).
     * Stored with the event and sent as the record's header, so that the trace of the EHR's request goes on in
     * the consumers although the relay sends later, outside that request.
     */
    public static String traceParent() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid()
                ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex()
                : null;
    }

    private Uni<Void> send(Row row) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        String traceParent = row.getString("trace_parent");
        if (traceParent != null) {
            headers.add("traceparent", traceParent.getBytes(StandardCharsets.UTF_8));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(row.getUUID("aggregate_id").toString())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(row.getString("payload")).addMetadata(metadata));
    }
}
