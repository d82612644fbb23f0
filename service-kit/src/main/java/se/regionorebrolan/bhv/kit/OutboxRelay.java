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
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes a service's outbox ({@code outbox_event}: visit events in visit-service, centre events in
 * compensation-service) to the topic of the channel {@value #CHANNEL}, in commit order, and deletes what was sent.
 * A service switches it on with the build property {@code bhv.outbox.enabled=true}. An event is deleted only after
 * Kafka acknowledged it, so a crash at any point re-sends (same event id: consumers de-duplicate) and never loses.
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
    /**
     * The next events in id order, but none held behind an earlier parked event of its aggregate. The parked events
     * are gathered once per run ({@code held}, nearly always empty), never looked up per waiting event: the outbox is
     * empty at rest, and a plan PostgreSQL cached for the prepared statement then (a generic plan, used after five
     * runs) scanned the whole table for each waiting event when a burst came — 7 s for one run with 10 000 waiting,
     * growing with the square of the backlog, until an ANALYZE replaced the plan (issue 18: 30 s of PostgreSQL for
     * the benchmark's 10 000 batched visits). Tested by {@code RelayPlanTest} with that cached plan.
     */
    public static final String SELECT_SENDABLE = """
            WITH held AS MATERIALIZED (
                SELECT aggregate_id, min(id) AS parked_id FROM outbox_event
                WHERE\s""" + Outbox.PARKED + """
             GROUP BY aggregate_id)
            SELECT id, aggregate_id::text AS aggregate_key, convert_to(payload, 'UTF8') AS payload, trace_parent
            FROM outbox_event o
            WHERE\s""" + Outbox.WAITING + """

              AND NOT EXISTS (SELECT 1 FROM held WHERE held.aggregate_id = o.aggregate_id AND held.parked_id < o.id)
            ORDER BY id LIMIT $1""";

    private final Pool pool;
    private final String topic;
    private final Relay relay;
    /**
     * At most one NOTIFY per this interval: the commits in between share the next. Under load that is one round trip
     * per interval instead of one for every other visit; another replica's relay wakes at most this much later.
     */
    private static final Duration NOTIFY_INTERVAL = Duration.ofMillis(50);
    /** One NOTIFY at a time, then a pause of {@link #NOTIFY_INTERVAL}: the commits meanwhile share the next. */
    private final Coalesced notifier = new Coalesced(this::notifyOthers);
    private volatile PgSubscriber subscriber;

    /**
     * The emitter is not sent through: it wires the channel, whose Kafka producer (configured in
     * application.properties) the relay uses directly, a batch at a time, to see each record's own outcome.
     */
    public OutboxRelay(Pool pool, @Channel(CHANNEL) MutinyEmitter<String> wired, KafkaClientService kafka,
                       @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic") String topic,
                       @ConfigProperty(name = "bhv.outbox.linger") Duration linger) {
        this.pool = pool;
        this.topic = topic;
        this.relay = new Relay("outbox relay", pool, () -> kafka.getProducer(CHANNEL), RELAY_LOCK, new OutboxTable(),
                linger);
    }

    /** Asks for a relay run now; runs that are asked for while one is going fold into one more run. */
    public void wake() {
        relay.wake();
    }

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
                })
                .onItem().delayIt().by(NOTIFY_INTERVAL);
    }

    /**
     * Completes once no event of the aggregate waits in the outbox any more (sent, or parked), or after {@code max}:
     * for a caller that wants its change on the topic before it answers, and must not fail when Kafka is slow (the
     * change is committed; the relay sends it when it can).
     */
    public Uni<Void> awaitSent(String aggregateId, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        return pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE aggregate_id::text = $1"
                        + " AND " + Outbox.WAITING)
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
        relay.stop(); // before the pool closes: no run starts against a closing pool
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /**
     * The sweep. Not before the application has started: the relay's Kafka channel is wired during start-up, and a
     * poll before it (a fixed delay was not enough on a slow machine) logged an error at every start.
     */
    @Scheduled(every = "${bhv.outbox.poll-interval}", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** The outbox table as the relay reads and settles it. */
    private final class OutboxTable implements RelaySource {

        /**
         * The unsent events in id order, except those of aggregates with a parked event, at most one event per
         * aggregate: its later event goes in a later batch, after the earlier one was acknowledged or parked.
         */
        @Override
        public Uni<List<Pending>> next(SqlConnection conn) {
            return conn.preparedQuery(SELECT_SENDABLE).execute(Tuple.of(BATCH)).map(rows -> {
                List<Pending> batch = new ArrayList<>();
                Set<String> aggregates = new HashSet<>();
                deferred = rows.size() == BATCH;
                for (Row row : rows) {
                    if (aggregates.add(row.getString("aggregate_key"))) {
                        batch.add(new Pending(row.getLong("id"), Relay.record(topic, row.getString("aggregate_key"),
                                row.getBuffer("payload").getBytes(), row.getString("trace_parent"))));
                    } else {
                        deferred = true;
                    }
                }
                return batch;
            });
        }

        /** Deletes what Kafka acknowledged, parks what it refused for good, and fails on anything transient. */
        @Override
        public Uni<Boolean> settle(SqlConnection conn, List<Pending> batch, List<Throwable> outcomes) {
            List<Long> sent = new ArrayList<>();
            List<Long> parked = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            Throwable transientFailure = null;
            for (int i = 0; i < batch.size(); i++) {
                Throwable failure = outcomes.get(i);
                String poison = failure == null ? null : Relay.poisonReason(failure);
                long id = batch.get(i).id();
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
            boolean more = deferred;
            return conn.preparedQuery("DELETE FROM outbox_event WHERE id = ANY($1)")
                    .execute(Tuple.of(sent.toArray(Long[]::new)))
                    .chain(() -> parked.isEmpty() ? Uni.createFrom().voidItem() // nearly always: no round trip
                            : conn.preparedQuery("UPDATE outbox_event SET parked_at = now(), park_reason = r"
                                    + " FROM unnest($1::bigint[], $2::text[]) AS p(i, r) WHERE id = i")
                            .execute(Tuple.of(parked.toArray(Long[]::new), reasons.toArray(String[]::new)))
                            .replaceWithVoid())
                    .map(done -> {
                        if (unsent != null) {
                            throw new UnsentException(batch.size() - sent.size() - parked.size(), unsent);
                        }
                        return more;
                    });
        }

        /** Whether the last read left events for the next run (a full batch, or an aggregate's later event). */
        private boolean deferred;
    }
}
