package se.regionorebrolan.bhv.compensation.messaging;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import se.regionorebrolan.bhv.compensation.service.Money;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes booked payout lines as {@code PayoutLineBooked} on {@code bhv.payouts.v1}, in line order. The table is
 * its own outbox: a line is marked published only after Kafka acknowledged it, and its event id is derived from
 * the line id, so a re-send after a crash carries the same id.
 */
@ApplicationScoped
public class PayoutLinePublisher {

    private static final int BATCH = 200;
    private static final String SELECT_UNPUBLISHED = """
            SELECT line_id, centre_id, period, kind, amount_ore, funding_source, rule_set_id, reason,
                   visit_id, visit_date, child_pseudonym, booked_at, trace_parent
            FROM payout_line WHERE published_at IS NULL ORDER BY line_id LIMIT $1 FOR UPDATE""";

    private static final Logger LOG = Logger.getLogger(PayoutLinePublisher.class);

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean();

    public PayoutLinePublisher(Pool pool, @Channel("payout-events") MutinyEmitter<String> emitter,
                               @ConfigProperty(name = "bhv.payout-publish-interval") Duration interval) {
        this.pool = pool;
        this.emitter = emitter;
        this.interval = interval;
    }

    /**
     * A Vert.x timer rather than {@code @Scheduled}, whose resolution is a whole second. The first run waits for
     * the Kafka channel, which is wired only once the application has started.
     */
    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(2000, interval.toMillis(), timer -> {
            if (running.compareAndSet(false, true)) {
                publishBooked().subscribe().with(done -> running.set(false), failure -> {
                    LOG.warnf("publishing payout lines failed, the next run retries: %s", failure.toString());
                    running.set(false);
                });
            }
        });
    }

    Uni<Void> publishBooked() {
        // FOR UPDATE: a second instance waits, then finds these lines published and takes only later ones
        return pool.withTransaction(conn -> conn.preparedQuery(SELECT_UNPUBLISHED).execute(Tuple.of(BATCH))
                .flatMap(rows -> {
                    List<Row> lines = new ArrayList<>();
                    rows.forEach(lines::add);
                    if (lines.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Long[] ids = lines.stream().map(r -> r.getLong("line_id")).toArray(Long[]::new);
                    // all handed to the producer in line order (it keeps that order per partition), then all
                    // acks awaited: one ack round trip per batch, not per line
                    return Uni.join().all(lines.stream().map(this::publish).toList()).andFailFast()
                            .chain(() -> conn.preparedQuery("UPDATE payout_line SET published_at = now() WHERE line_id = ANY($1)")
                                    .execute(Tuple.of(ids)))
                            .replaceWithVoid();
                }));
    }

    private Uni<Void> publish(Row line) {
        long lineId = line.getLong("line_id");
        PayoutLineBookedData data = new PayoutLineBookedData(lineId, line.getString("centre_id"),
                line.getString("period"), line.getString("kind"), Money.sek(line.getLong("amount_ore")),
                line.getString("funding_source"), line.getString("rule_set_id"), line.getString("reason"),
                line.getUUID("visit_id"), line.getLocalDate("visit_date"), line.getString("child_pseudonym"),
                line.getOffsetDateTime("booked_at").toInstant());
        String eventId = UUID.nameUUIDFromBytes(("payout-line/" + lineId).getBytes(StandardCharsets.UTF_8)).toString();
        CloudEvent event = EventCodec.envelope(EventType.PAYOUT_LINE_BOOKED, eventId, "/compensation-service",
                Long.toString(lineId), data.bookedAt(), data);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        String traceParent = line.getString("trace_parent");
        if (traceParent != null) {
            headers.add("traceparent", traceParent.getBytes(StandardCharsets.UTF_8));
        }
        return emitter.sendMessage(Message.of(EventCodec.write(event)).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(data.centreId()).withHeaders(headers).build()));
    }
}
