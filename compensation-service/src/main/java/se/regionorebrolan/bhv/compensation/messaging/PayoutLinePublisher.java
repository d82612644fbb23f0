package se.regionorebrolan.bhv.compensation.messaging;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.apache.kafka.clients.producer.ProducerRecord;
import se.regionorebrolan.bhv.compensation.domain.Money;
import se.regionorebrolan.bhv.compensation.domain.PayoutLine;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.events.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes booked payout lines as {@code PayoutLineBooked} on {@code bhv.payouts.v1}, in line order. The table is
 * its own outbox, read from a cursor that moves only after Kafka acknowledged the lines up to it (lines commit in
 * line order, under the feed lock); a line's event id is derived from its id, so a re-send after a crash carries
 * the same id.
 */
@ApplicationScoped
public class PayoutLinePublisher {

    private static final int BATCH = 1000;
    /** Locks the cursor: a second instance waits, then starts after what this one published. */
    private static final String LOCK_CURSOR = "SELECT last_line_id FROM publish_cursor WHERE name = 'bhv.payouts.v1'"
            + " FOR UPDATE";

    private static final Logger LOG = Logger.getLogger(PayoutLinePublisher.class);

    private final Pool pool;
    private final PayoutLineRepository repository;
    private final KafkaClientService kafka;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * The emitter is not sent through: it wires the channel, whose Kafka producer (configured in
     * application.properties) this class then uses directly, a batch at a time (see {@link #sendAll}).
     */
    public PayoutLinePublisher(Pool pool, PayoutLineRepository repository, @Channel("payout-events") MutinyEmitter<String> wired,
                               KafkaClientService kafka,
                               @ConfigProperty(name = "bhv.payout-publish-interval") Duration interval) {
        this.pool = pool;
        this.repository = repository;
        this.kafka = kafka;
        this.interval = interval;
    }

    /**
     * A Vert.x timer rather than {@code @Scheduled}, whose resolution is a whole second. The first run waits for
     * the Kafka channel, which is wired only once the application has started.
     */
    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(2000, interval.toMillis(), timer -> {
            if (running.compareAndSet(false, true)) {
                drain();
            }
        });
    }

    /** Publishes batch after batch while they come full, then waits for the next tick. */
    private void drain() {
        publishBooked().subscribe().with(published -> {
            if (published == BATCH) {
                drain();
            } else {
                running.set(false);
            }
        }, failure -> {
            LOG.warnf("publishing payout lines failed, the next run retries: %s", failure.toString());
            running.set(false);
        });
    }

    /** One batch in one transaction; answers how many lines it published. */
    Uni<Integer> publishBooked() {
        return pool.withTransaction(conn -> conn.query(LOCK_CURSOR).execute()
                .chain(cursor -> repository.after(conn, cursor.iterator().next().getLong(0), BATCH))
                .flatMap(lines -> {
                    if (lines.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    long last = lines.get(lines.size() - 1).lineId();
                    // all handed to the producer in line order (it keeps that order per partition), then all
                    // acks awaited: one ack round trip per batch, not per line; the cursor moves after the acks
                    return sendAll(lines.stream().map(PayoutLinePublisher::record).toList())
                            .chain(() -> conn.preparedQuery("UPDATE publish_cursor SET last_line_id = $1"
                                    + " WHERE name = 'bhv.payouts.v1'").execute(Tuple.of(last)))
                            .replaceWith(lines.size());
                }));
    }

    /**
     * Hands the records to the channel's producer in one task on its sending thread, and completes when Kafka
     * acknowledged them all (or fails with the first failure): per batch, not per record, which is what a rebuild
     * of a million lines spends its time on otherwise.
     */
    private Uni<Void> sendAll(List<ProducerRecord<String, String>> records) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        AtomicInteger waiting = new AtomicInteger(records.size());
        KafkaProducer<String, String> producer = kafka.getProducer("payout-events");
        return producer.runOnSendingThread(client -> {
            for (ProducerRecord<String, String> record : records) {
                client.send(record, (metadata, failure) -> {
                    if (failure != null) {
                        acknowledged.completeExceptionally(failure);
                    } else if (waiting.decrementAndGet() == 0) {
                        acknowledged.complete(null);
                    }
                });
            }
        }).chain(() -> Uni.createFrom().completionStage(acknowledged));
    }

    private static ProducerRecord<String, String> record(PayoutLine line) {
        long lineId = line.lineId();
        PayoutLineBookedData data = new PayoutLineBookedData(lineId, line.centreId(), line.period(), line.forPeriod(),
                line.kind(), line.adjustedKind(), Money.sek(line.amountOre()), line.fundingSource(),
                line.ruleSetId(), line.reason(), line.visitId(), line.visitDate(), line.childPseudonym(),
                line.bookedAt());
        String eventId = UUID.nameUUIDFromBytes(("payout-line/" + lineId).getBytes(StandardCharsets.UTF_8)).toString();
        CloudEvent event = EventCodec.envelope(EventType.PAYOUT_LINE_BOOKED, eventId, "/compensation-service",
                Long.toString(lineId), data.bookedAt(), data);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        String traceParent = line.traceParent();
        if (traceParent != null) {
            headers.add("traceparent", traceParent.getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(Topics.PAYOUTS, null, data.centreId(), EventCodec.write(event), headers);
    }
}
