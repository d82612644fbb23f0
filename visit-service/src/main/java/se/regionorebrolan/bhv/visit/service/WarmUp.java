package se.regionorebrolan.bhv.visit.service;

import se.regionorebrolan.bhv.kit.OutboxRelay;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.events.Topics;

import java.time.Duration;

/**
 * Runs the visit path's queries and fetches the producer's topic metadata once after start, in the background,
 * so that the first visit a user posts is as fast as the next ones (about a second less).
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    void onStart(@Observes StartupEvent event, VisitService visits, KafkaClientService kafka) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                VertxContextSupport.subscribeAndAwait(visits::warmUp);
                kafka.getProducer(OutboxRelay.CHANNEL).partitionsFor(Topics.VISITS).await().atMost(Duration.ofSeconds(30));
            } catch (Throwable e) {
                LOG.infof("warm-up skipped: %s", e.toString());
            }
        });
    }
}
