package se.regionorebrolan.bhv.compensation.rest;

import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.compensation.service.PeriodService;
import se.regionorebrolan.bhv.compensation.domain.SwedishCalendar;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/** Finance closes months: a closed month's statements never change; later lines for it are paid in an open month. */
@Path("/api/v1/periods")
@Produces(MediaType.APPLICATION_JSON)
public class PeriodResource {

    public record PeriodView(String period, String status, Instant closedAt) {
    }

    private final PeriodService periods;

    public PeriodResource(PeriodService periods) {
        this.periods = periods;
    }

    /** Closes a month that has ended; closing a closed month again changes nothing and answers the same. */
    @RolesAllowed({"finance"})
    @POST
    @Path("/{period}/close")
    public Uni<PeriodView> close(@RestPath String period) {
        YearMonth month = YearMonth.parse(PayoutResource.period("period", period));
        if (!month.isBefore(YearMonth.from(SwedishCalendar.today()))) {
            throw new InvalidRequestException("period", "only a month that has ended can be closed");
        }
        return periods.close(month).map(closedAt -> new PeriodView(month.toString(), "CLOSED", closedAt));
    }

    /** The closed months, oldest first. */
    @RolesAllowed({"finance", "bhv-admin"})
    @GET
    public Uni<List<PeriodView>> closed() {
        return periods.closed().map(all -> all.entrySet().stream()
                .map(p -> new PeriodView(p.getKey(), "CLOSED", p.getValue())).toList());
    }
}
