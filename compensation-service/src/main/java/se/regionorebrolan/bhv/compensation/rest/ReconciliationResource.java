package se.regionorebrolan.bhv.compensation.rest;

import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;
import se.regionorebrolan.bhv.compensation.domain.Reconciliation;
import se.regionorebrolan.bhv.compensation.service.ReconciliationService;

import java.time.YearMonth;

/** Visits seen against lines booked per centre for the visits of a month, with every difference listed. */
@Path("/api/v1/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final ReconciliationService reconciliation;

    public ReconciliationResource(ReconciliationService reconciliation) {
        this.reconciliation = reconciliation;
    }

    @RolesAllowed({"finance", "bhv-admin"})
    @GET
    public Uni<Reconciliation.Result> reconcile(@RestQuery String period) {
        return reconciliation.reconcile(YearMonth.parse(PayoutResource.period("period", period)));
    }
}
