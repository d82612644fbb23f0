package se.regionorebrolan.bhv.visit.service;

import io.quarkus.vertx.VertxContextSupport;
import io.quarkus.vertx.http.HttpServerStart;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.kit.OutboxRelay;
import se.regionorebrolan.bhv.visit.fhir.FhirBundle;

import java.time.Duration;

/**
 * Runs the visit path's queries, fetches the producer's topic metadata and makes the FHIR R4 context (seconds of
 * class loading) once the service takes requests, on a worker thread, so that the first visit a user posts is as
 * fast as the next ones. Not before: on two cores it would compete with the start itself and delay readiness
 * (README, "Figures").
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    void onStarted(@ObservesAsync HttpServerStart event, VisitService visits, KafkaClientService kafka) {
        long start = System.nanoTime();
        try {
            FhirBundle.warmUp(); // first: it needs neither the database nor Kafka, whose steps may wait and fail
            VertxContextSupport.subscribeAndAwait(visits::warmUp);
            kafka.getProducer(OutboxRelay.CHANNEL).partitionsFor(Topics.VISITS).await().atMost(Duration.ofSeconds(30));
            LOG.infof("warmed up in %d ms", (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable e) {
            LOG.infof("warm-up skipped: %s", e.toString());
        }
    }
}
