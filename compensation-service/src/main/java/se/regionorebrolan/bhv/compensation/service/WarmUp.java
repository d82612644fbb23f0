package se.regionorebrolan.bhv.compensation.service;

import io.quarkus.vertx.VertxContextSupport;
import io.quarkus.vertx.http.HttpServerStart;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.events.Topics;

import java.time.Duration;

/**
 * Runs the booking path once and fetches the payout producer's topic metadata once the service takes requests, on
 * a worker thread, so that the first visit after a start is booked and published as fast as the next ones. Not
 * before: on two cores it would compete with the start itself and delay readiness (README, "Figures").
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    void onStarted(@ObservesAsync HttpServerStart event, BookingService booking, KafkaClientService kafka) {
        long start = System.nanoTime();
        try {
            VertxContextSupport.subscribeAndAwait(booking::warmUp);
            kafka.getProducer("payout-events").partitionsFor(Topics.PAYOUTS).await().atMost(Duration.ofSeconds(30));
            LOG.infof("warmed up in %d ms", (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable e) {
            LOG.infof("warm-up skipped: %s", e.toString());
        }
    }
}
