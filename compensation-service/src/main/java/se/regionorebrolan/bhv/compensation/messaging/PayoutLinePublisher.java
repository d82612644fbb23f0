package se.regionorebrolan.bhv.compensation.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.compensation.config.CompensationConfig;
import se.regionorebrolan.bhv.compensation.domain.Money;
import se.regionorebrolan.bhv.compensation.domain.PayoutLine;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.kit.Relay;
import se.regionorebrolan.bhv.kit.RelaySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Publishes booked payout lines as {@code PayoutLineBooked} on {@code bhv.payouts.v1}, in line order, through the
 * service-kit {@link Relay} (the same relay as every outbox). The line table is its own outbox, read past a cursor
 * that moves only over lines Kafka acknowledged (lines commit in line order, under the feed lock); a line's event id
 * is derived from its id, so a re-send after a crash carries the same id. A line Kafka refuses for good cannot be
 * skipped (finance must see every line in order): it is retried with back-off and logged, and the oldest unpublished
 * line's age ({@code bhv_payout_oldest_unpublished_age_seconds}) raises the alert.
 */
@ApplicationScoped
public class PayoutLinePublisher implements RelaySource {

    private static final Logger LOG = Logger.getLogger(PayoutLinePublisher.class);
    private static final int BATCH = 1000;
    /** Advisory lock key of this relay (any constant unique in this database). */
    private static final long RELAY_LOCK = 0x5041594f5554L;
    /** The cursor row, locked too: a relay of an older version waits, then starts after what this one published. */
    private static final String LOCK_CURSOR = "SELECT last_line_id FROM publish_cursor WHERE name = 'bhv.payouts.v1'"
            + " FOR UPDATE";

    private final PayoutLineRepository repository;
    private final Relay relay;
    private final Duration interval;
    private boolean full;

    /**
     * The emitter is not sent through: it wires the channel, whose Kafka producer (configured in
     * application.properties) the relay uses directly, a batch at a time.
     */
    public PayoutLinePublisher(Pool pool, PayoutLineRepository repository,
                               @Channel("payout-events") MutinyEmitter<String> wired, KafkaClientService kafka,
                               CompensationConfig config) {
        this.repository = repository;
        this.interval = config.payoutPublishInterval();
        this.relay = new Relay("payout line publisher", pool, () -> kafka.getProducer("payout-events"), RELAY_LOCK,
                this, Duration.ZERO); // its timer already gathers the lines of an interval
    }

    /**
     * A Vert.x timer rather than {@code @Scheduled}, whose resolution is a whole second. The first run waits for
     * the Kafka channel, which is wired only once the application has started.
     */
    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(2000, interval.toMillis(), timer -> relay.wake());
    }

    /** Before the pool closes: a run woken after it would fail and log a WARN at every graceful stop. */
    void stop(@Observes ShutdownEvent event) {
        relay.stop();
    }

    @Override
    public Uni<List<Pending>> next(SqlConnection conn) {
        return conn.query(LOCK_CURSOR).execute()
                .chain(cursor -> repository.after(conn, cursor.iterator().next().getLong(0), BATCH))
                .map(lines -> {
                    full = lines.size() == BATCH;
                    return lines.stream().map(l -> new Pending(l.lineId(), record(l))).toList();
                });
    }

    /** Moves the cursor over the lines acknowledged in order; a line not acknowledged stops it there. */
    @Override
    public Uni<Boolean> settle(SqlConnection conn, List<Pending> batch, List<Throwable> outcomes) {
        int acknowledged = 0;
        while (acknowledged < batch.size() && outcomes.get(acknowledged) == null) {
            acknowledged++;
        }
        Throwable failure = acknowledged < batch.size() ? outcomes.get(acknowledged) : null;
        if (failure != null && Relay.poisonReason(failure) != null) {
            LOG.errorf("payout line %d refused by Kafka, publishing waits for it: %s", batch.get(acknowledged).id(),
                    Relay.poisonReason(failure));
        }
        int moved = acknowledged;
        boolean more = full;
        Uni<Void> cursor = moved == 0 ? Uni.createFrom().voidItem()
                : conn.preparedQuery("UPDATE publish_cursor SET last_line_id = $1 WHERE name = 'bhv.payouts.v1'")
                .execute(Tuple.of(batch.get(moved - 1).id())).replaceWithVoid();
        return cursor.map(done -> {
            if (failure != null) {
                throw new UnsentException(batch.size() - moved, failure);
            }
            return more;
        });
    }

    private static ProducerRecord<String, byte[]> record(PayoutLine line) {
        long lineId = line.lineId();
        PayoutLineBookedData data = new PayoutLineBookedData(lineId, line.centreId(), line.period(), line.forPeriod(),
                line.kind(), line.adjustedKind(), Money.sek(line.amountOre()), line.fundingSource(),
                line.ruleSetId(), line.reason(), line.visitId(), line.visitDate(), line.childPseudonym(),
                line.bookedAt());
        String eventId = UUID.nameUUIDFromBytes(("payout-line/" + lineId).getBytes(StandardCharsets.UTF_8)).toString();
        CloudEvent event = EventCodec.envelope(EventType.PAYOUT_LINE_BOOKED, eventId, "/compensation-service",
                Long.toString(lineId), data.bookedAt(), data);
        return Relay.record(Topics.PAYOUTS, data.centreId(), EventCodec.writeBytes(event), line.traceParent());
    }
}
