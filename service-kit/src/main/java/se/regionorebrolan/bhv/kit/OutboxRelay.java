package se.regionorebrolan.bhv.kit;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.events.CloudEvent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes a service's outbox ({@code outbox_event}: visit events in visit-service, centre events in
 * compensation-service) to the topic of the channel {@value #CHANNEL}, in commit order, and marks what was sent.
 * A service switches it on with the build property {@code bhv.outbox.enabled=true}. An event is marked only after Kafka
 * acknowledged it, so a crash at any point re-sends (same event id: consumers de-duplicate) and never loses.
 * One relay at a time per database, under an advisory lock, so that events of a visit never overtake each other.
 * An event Kafka refuses for good (too large, malformed) is parked with its reason and the relay goes on; the
 * later events of its visit wait behind it until an operator releases or discards it ({@link ParkedEvents}).
 * It wakes on every commit that adds to the outbox, of this replica directly and of others through LISTEN/NOTIFY,
 * and sweeps by a slow poll besides.
 */
@ApplicationScoped
@io.quarkus.arc.properties.IfBuildProperty(name = "bhv.outbox.enabled", stringValue = "true")
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key of the relay ("VISITOBX" would not fit; any constant unique in this database). */
    private static final long RELAY_LOCK = 0x56495349544f42L;
    /** The outgoing channel every service's outbox is published through; its topic is the channel's. */
    public static final String CHANNEL = "outbox";
    private static final int BATCH = 1000;
    private static final String SELECT_SENDABLE = """
            SELECT id, aggregate_id::text AS aggregate_key, payload, trace_parent FROM outbox_event o
            WHERE sent_at IS NULL AND parked_at IS NULL AND discarded_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM outbox_event h WHERE h.aggregate_id = o.aggregate_id AND h.id < o.id
                              AND h.sent_at IS NULL AND h.parked_at IS NOT NULL AND h.discarded_at IS NULL)
            ORDER BY id LIMIT $1""";

    private final Pool pool;
    private final KafkaClientService kafka;
    private final String topic;
    private volatile int failures;
    private final Coalesced relay = new Coalesced(this::publishBatchLogged);
    /** One NOTIFY at a time: the commits while one is on its way share the next. */
    private final Coalesced notifier = new Coalesced(this::notifyOthers);
    private volatile PgSubscriber subscriber;

    /**
     * The emitter is not sent through: it wires the channel, whose Kafka producer (configured in
     * application.properties) the relay uses directly, a batch at a time, to see each record's own outcome.
     */
    public OutboxRelay(Pool pool, @Channel(CHANNEL) MutinyEmitter<String> wired, KafkaClientService kafka,
                       @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic") String topic) {
        this.pool = pool;
        this.kafka = kafka;
        this.topic = topic;
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
     * Completes once no event of the aggregate waits in the outbox any more (sent, or parked), or after {@code max}:
     * for a caller that wants its change on the topic before it answers, and must not fail when Kafka is slow (the
     * change is committed; the relay sends it when it can).
     */
    public Uni<Void> awaitSent(String aggregateId, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        return pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE aggregate_id::text = $1"
                        + " AND sent_at IS NULL AND parked_at IS NULL AND discarded_at IS NULL")
                .execute(Tuple.of(aggregateId))
                .flatMap(rows -> rows.iterator().next().getLong(0) == 0 || System.nanoTime() > deadline
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(20))
                        .chain(() -> awaitSent(aggregateId, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))));
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

    /**
     * One batch; runs again at once while there is more. A failed run (Kafka or the database away) waits out a
     * back-off before the next, doubling from a second to half a minute, so that an outage costs one batch in
     * memory and an attempt now and then, never a storm of retries.
     */
    private Uni<Boolean> publishBatchLogged() {
        return publishBatch().map(more -> {
            failures = 0;
            return more;
        }).onFailure().recoverWithUni(failure -> {
            Duration pause = backOff(++failures);
            LOG.warnf("outbox relay run failed, retrying in %d ms: %s", pause.toMillis(), failure.toString());
            return Uni.createFrom().item(true).onItem().delayIt().by(pause);
        });
    }

    static Duration backOff(int failures) {
        return Duration.ofMillis(Math.min(30_000L, 1000L << Math.min(failures - 1, 5)));
    }

    /** One batch in one transaction; answers whether there is more to send at once. */
    Uni<Boolean> publishBatch() {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(RELAY_LOCK))
                .flatMap(locked -> locked.iterator().next().getBoolean(0)
                        ? sendUnsent(conn)
                        : Uni.createFrom().item(false)));
    }

    /**
     * Reads the unsent events in id order, except those of visits with a parked event, and sends at most one event
     * per visit in a batch: a visit's later event goes in a later batch, after the earlier one was acknowledged or
     * parked. Marks what Kafka acknowledged, parks what it refused for good, and fails the run (leaving the rest
     * unsent) on anything transient.
     */
    private Uni<Boolean> sendUnsent(SqlConnection conn) {
        return conn.preparedQuery(SELECT_SENDABLE).execute(Tuple.of(BATCH)).flatMap(rows -> {
            List<Row> batch = new ArrayList<>();
            Set<String> aggregates = new HashSet<>();
            boolean deferred = false;
            for (Row row : rows) {
                if (aggregates.add(row.getString("aggregate_key"))) {
                    batch.add(row);
                } else {
                    deferred = true;
                }
            }
            if (batch.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            boolean more = deferred || rows.size() == BATCH;
            return sendAll(batch).flatMap(outcomes -> {
                List<Long> sent = new ArrayList<>();
                List<Long> parked = new ArrayList<>();
                List<String> reasons = new ArrayList<>();
                Throwable transientFailure = null;
                for (int i = 0; i < batch.size(); i++) {
                    Throwable failure = outcomes.get(i);
                    String poison = failure == null ? null : poisonReason(failure);
                    long id = batch.get(i).getLong("id");
                    if (failure == null) {
                        sent.add(id);
                    } else if (poison != null) {
                        parked.add(id);
                        reasons.add(poison);
                        LOG.errorf("outbox event %d parked, the relay goes on without it: %s", id, poison);
                    } else if (transientFailure == null) {
                        transientFailure = failure;
                    }
                }
                Throwable unsent = transientFailure;
                return conn.preparedQuery("UPDATE outbox_event SET sent_at = now() WHERE id = ANY($1)")
                        .execute(Tuple.of(sent.toArray(Long[]::new)))
                        .chain(() -> conn.preparedQuery("UPDATE outbox_event SET parked_at = now(), park_reason = r"
                                        + " FROM unnest($1::bigint[], $2::text[]) AS p(i, r) WHERE id = i")
                                .execute(Tuple.of(parked.toArray(Long[]::new), reasons.toArray(String[]::new))))
                        .map(done -> {
                            if (unsent != null) {
                                // what was acknowledged is marked when the transaction commits; the rest waits
                                throw new OutboxUnsentException(batch.size() - sent.size() - parked.size(), unsent);
                            }
                            return more;
                        });
            });
        });
    }

    /** A run that left events unsent for a transient reason: its marks still commit, the rest waits a back-off. */
    static final class OutboxUnsentException extends RuntimeException {
        OutboxUnsentException(int unsent, Throwable cause) {
            super(unsent + " events not acknowledged: " + cause, null, false, false);
        }
    }

    /**
     * Why Kafka refused the record for good (the record itself is wrong: too large, malformed), or null when the
     * failure is transient (the broker away, a timeout, not enough replicas, an authorisation or topic problem that
     * an operator fixes for all events at once) and the event is simply tried again.
     */
    static String poisonReason(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                || cause instanceof InvalidRecordException || cause instanceof SerializationException) {
            String message = String.valueOf(cause.getMessage());
            return cause.getClass().getSimpleName() + ": " + message.substring(0, Math.min(500, message.length()));
        }
        return null;
    }

    /**
     * Hands the records to the channel's producer in one task on its sending thread, in id order (the producer keeps
     * that order per partition), and completes when every one has its outcome: null when acknowledged, else its
     * failure. It stops handing over at the first failure that comes back at once (metadata not available: the
     * broker is away), so that an outage does not wait {@code max.block.ms} for every record of the batch.
     */
    private Uni<List<Throwable>> sendAll(List<Row> batch) {
        Throwable[] outcomes = new Throwable[batch.size()];
        AtomicInteger waiting = new AtomicInteger(batch.size());
        CompletableFuture<List<Throwable>> all = new CompletableFuture<>();
        Runnable oneDone = () -> {
            if (waiting.decrementAndGet() == 0) {
                all.complete(Arrays.asList(outcomes));
            }
        };
        return kafka.<String, String>getProducer(CHANNEL).runOnSendingThread(client -> {
            boolean brokerAway = false;
            for (int i = 0; i < batch.size(); i++) {
                int index = i;
                if (brokerAway) {
                    outcomes[index] = new org.apache.kafka.common.errors.TimeoutException("not sent: the broker was away");
                    oneDone.run();
                    continue;
                }
                try {
                    client.send(record(topic, batch.get(i)), (metadata, failure) -> {
                        outcomes[index] = failure;
                        oneDone.run();
                    });
                } catch (RuntimeException failure) {
                    outcomes[index] = failure;
                    oneDone.run();
                }
                brokerAway = outcomes[index] != null && poisonReason(outcomes[index]) == null;
            }
        }).chain(() -> Uni.createFrom().completionStage(all));
    }

    private static ProducerRecord<String, String> record(String topic, Row row) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        String traceParent = row.getString("trace_parent");
        if (traceParent != null) {
            headers.add("traceparent", traceParent.getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(topic, null, row.getString("aggregate_key"), row.getString("payload"), headers);
    }
}
