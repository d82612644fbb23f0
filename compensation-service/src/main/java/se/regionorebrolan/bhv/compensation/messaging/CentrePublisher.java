package se.regionorebrolan.bhv.compensation.messaging;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.compensation.service.CentreService;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;

import java.time.Instant;

/**
 * Publishes the centre registry on the compacted topic {@code bhv.centres.v1}: each centre after it was saved,
 * and all of them after every start, so that a crash between a save and its publication heals itself.
 */
@ApplicationScoped
public class CentrePublisher {

    private static final Logger LOG = Logger.getLogger(CentrePublisher.class);

    private final MutinyEmitter<String> emitter;
    private final CentreService centres;

    public CentrePublisher(@Channel("centre-events") MutinyEmitter<String> emitter, CentreService centres) {
        this.emitter = emitter;
        this.centres = centres;
    }

    /** Completes when Kafka acknowledged the record. */
    public Uni<Void> publish(CentreService.Centre centre) {
        CentreData data = new CentreData(centre.centreId(), centre.name(), centre.municipality(),
                centre.compensationModel().name(), centre.childCni(), centre.listedChildren0to5(),
                centre.fixedApprovedFrom(), centre.history().fixedPeriods().stream()
                .map(p -> new CentreData.FixedPeriod(p.from(), p.until())).toList());
        String event = EventCodec.write(EventCodec.envelope(EventType.CENTRE_UPDATED, "/compensation-service",
                centre.centreId(), Instant.now(), data));
        return emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(centre.centreId()).build()));
    }

    void republishAfterStart(@Observes StartupEvent event) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                Thread.sleep(2000); // the Kafka channel is wired only once the application has started
                VertxContextSupport.subscribeAndAwait(this::publishAll);
            } catch (Throwable e) {
                LOG.warnf("republishing the centre registry failed; the next start or PUT publishes again: %s",
                        e.toString());
            }
        });
    }

    Uni<Void> publishAll() {
        return centres.list().chain(centres -> Multi.createFrom().iterable(centres)
                .onItem().transformToUniAndConcatenate(this::publish)
                .collect().last()
                .replaceWithVoid());
    }
}
