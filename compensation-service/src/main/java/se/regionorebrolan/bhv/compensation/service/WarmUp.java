package se.regionorebrolan.bhv.compensation.service;

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
 * Runs the booking path once and fetches the payout producer's topic metadata after start, in the background, so
 * that the first visit after a start is booked and published as fast as the next ones.
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    void onStart(@Observes StartupEvent event, BookingService booking, KafkaClientService kafka) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                VertxContextSupport.subscribeAndAwait(booking::warmUp);
                kafka.getProducer("payout-events").partitionsFor(Topics.PAYOUTS).await().atMost(Duration.ofSeconds(30));
            } catch (Throwable e) {
                LOG.infof("warm-up skipped: %s", e.toString());
            }
        });
    }
}
