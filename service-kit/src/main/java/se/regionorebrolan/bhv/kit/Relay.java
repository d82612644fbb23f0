package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import se.regionorebrolan.bhv.events.CloudEvent;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The one way a service publishes what it committed: reads a batch from its {@link RelaySource} in a transaction
 * under an advisory lock (one relay at a time per database, so records never overtake each other), hands the batch to
 * a channel's Kafka producer in one task on its sending thread, and settles each row by its own outcome in the same
 * transaction (the outbox deletes what was sent and parks what Kafka refused; the payout lines move a cursor). Runs
 * that are asked for while one is going fold into one more run ({@link Coalesced}); a failed run (Kafka or the
 * database away) waits out a back-off doubling from a second to half a minute, so an outage costs one batch in memory
 * and an attempt now and then. A row is settled only after Kafka acknowledged it: a crash at any point
 * re-sends (consumers de-duplicate by event id) and never loses. After a run that sent less than a full batch the
 * relay lingers (if given one) before the next: what commits meanwhile goes in that next run, so under load the
 * relay, the broker and every consumer handle fewer, larger batches; the first change after a quiet spell still
 * goes at once.
 */
public final class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);

    private final String name;
    private final Pool pool;
    private final Supplier<KafkaProducer<String, byte[]>> producer;
    private final long lockKey;
    private final RelaySource source;
    private final Duration linger;
    private final Coalesced runs = new Coalesced(this::runLogged);
    private volatile int failures;
    private volatile boolean stopped;

    public Relay(String name, Pool pool, Supplier<KafkaProducer<String, byte[]>> producer, long lockKey,
                 RelaySource source, Duration linger) {
        this.name = name;
        this.pool = pool;
        this.producer = producer;
        this.lockKey = lockKey;
        this.source = source;
        this.linger = linger;
    }

    /** Asks for a run now; nothing once stopped. */
    public void wake() {
        if (!stopped) {
            runs.request();
        }
    }

    /**
     * For the service's shutdown, before its database pool and Kafka producer close: no run starts any more, and a
     * run the closing cuts short is not reported as a failure (what it did not settle is sent by the next start).
     */
    public void stop() {
        stopped = true;
    }

    private Uni<Boolean> runLogged() {
        if (stopped) {
            return Uni.createFrom().item(false);
        }
        return run().chain(sent -> {
            failures = 0;
            Uni<Boolean> more = Uni.createFrom().item(sent == Sent.MORE_WAITING);
            Duration pause = pauseAfter(sent, linger);
            return pause.isZero() ? more : more.onItem().delayIt().by(pause);
        }).onFailure().recoverWithUni(failure -> {
            if (stopped) {
                LOG.debugf("%s run ended by the shutdown: %s", name, failure.toString());
                return Uni.createFrom().item(false);
            }
            Duration pause = backOff(++failures);
            LOG.warnf("%s run failed, retrying in %d ms: %s", name, pause.toMillis(), failure.toString());
            return Uni.createFrom().item(true).onItem().delayIt().by(pause);
        });
    }

    /** How long to wait before the next run may start: a full batch goes on at once, a partial one lingers. */
    static Duration pauseAfter(Sent sent, Duration linger) {
        return sent == Sent.SOME ? linger : Duration.ZERO;
    }

    /** The pause after a run's {@code failures}-th failure in a row: 1 s, doubling to 30 s. */
    public static Duration backOff(int failures) {
        return Duration.ofMillis(Math.min(30_000L, 1000L << Math.min(failures - 1, 5)));
    }

    /** What a run sent. */
    enum Sent { NOTHING, SOME, MORE_WAITING }

    /** One batch in one transaction; answers what it sent (and whether more waits to be sent at once). */
    Uni<Sent> run() {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(lockKey))
                .flatMap(locked -> !locked.iterator().next().getBoolean(0) ? Uni.createFrom().item(Sent.NOTHING)
                        : source.next(conn).flatMap(batch -> batch.isEmpty() ? Uni.createFrom().item(Sent.NOTHING)
                        : sendAll(batch).flatMap(outcomes -> source.settle(conn, batch, outcomes))
                        .map(more -> more ? Sent.MORE_WAITING : Sent.SOME))));
    }

    /**
     * A record as every relay sends it: CloudEvents JSON in UTF-8 (as it was read or written, never decoded into a
     * String and encoded again), with the W3C trace context of the change if it was traced.
     */
    public static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value, String traceParent) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        if (traceParent != null) {
            headers.add("traceparent", traceParent.getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    /**
     * Why Kafka refused the record for good (the record itself is wrong: too large, malformed), or null when the
     * failure is transient (the broker away, a timeout, not enough replicas, an authorisation or topic problem that
     * an operator fixes for all records at once) and the record is simply tried again.
     */
    public static String poisonReason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                || cause instanceof InvalidRecordException || cause instanceof SerializationException) {
            String message = String.valueOf(cause.getMessage());
            return cause.getClass().getSimpleName() + ": " + message.substring(0, Math.min(500, message.length()));
        }
        return null;
    }

    /**
     * Hands the records to the producer in one task on its sending thread, in order (the producer keeps that order
     * per partition), and completes when every one has its outcome: null when acknowledged, else its failure. It
     * stops handing over at the first failure that comes back at once (metadata not available: the broker is away),
     * so that an outage does not wait {@code max.block.ms} for every record of the batch.
     */
    private Uni<List<Throwable>> sendAll(List<RelaySource.Pending> batch) {
        Throwable[] outcomes = new Throwable[batch.size()];
        AtomicInteger waiting = new AtomicInteger(batch.size());
        CompletableFuture<List<Throwable>> all = new CompletableFuture<>();
        Runnable oneDone = () -> {
            if (waiting.decrementAndGet() == 0) {
                all.complete(Arrays.asList(outcomes));
            }
        };
        return producer.get().runOnSendingThread(client -> {
            boolean brokerAway = false;
            for (int i = 0; i < batch.size(); i++) {
                int index = i;
                if (brokerAway) {
                    outcomes[index] = new TimeoutException("not sent: the broker was away");
                    oneDone.run();
                    continue;
                }
                try {
                    ProducerRecord<String, byte[]> record = batch.get(i).record();
                    client.send(record, (metadata, failure) -> {
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
}
