package se.regionorebrolan.bhv.reporting.service;

import io.quarkus.vertx.VertxContextSupport;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

/**
 * Runs the projection's and the report's queries once the service takes requests, on a worker thread, so that the
 * first event is projected and the first report computed as fast as later ones. Not before: on two cores it would
 * compete with the start itself and delay readiness (README, "Figures").
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    void onStarted(@ObservesAsync HttpServerStart event, Projector projector, ReportService reports) {
        long start = System.nanoTime();
        try {
            VertxContextSupport.subscribeAndAwait(projector::warmUp);
            VertxContextSupport.subscribeAndAwait(() -> reports.socialstyrelsen(2000));
            LOG.infof("warmed up in %d ms", (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable e) {
            LOG.infof("warm-up skipped: %s", e.toString());
        }
    }
}
