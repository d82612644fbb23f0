package se.regionorebrolan.bhv.reporting.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Runs the projection's and the report's queries once after start, in the background, so that the first event is
 * projected and the first report computed as fast as later ones.
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    void onStart(@Observes StartupEvent event, Projector projector, ReportService reports) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                VertxContextSupport.subscribeAndAwait(projector::warmUp);
                VertxContextSupport.subscribeAndAwait(() -> reports.socialstyrelsen(2000));
            } catch (Throwable e) {
                LOG.infof("warm-up skipped: %s", e.toString());
            }
        });
    }
}
