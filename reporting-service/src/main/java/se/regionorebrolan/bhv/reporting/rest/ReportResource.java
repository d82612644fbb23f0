package se.regionorebrolan.bhv.reporting.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import se.regionorebrolan.bhv.reporting.service.ReportService;
import se.regionorebrolan.bhv.reporting.service.SocialstyrelsenReport;

/** The reports the region files (CONTRACT.md, reporting-service). */
@Path("/api/v1/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    private final ReportService reports;

    public ReportResource(ReportService reports) {
        this.reports = reports;
    }

    @GET
    @Path("/socialstyrelsen/{year}")
    public Uni<SocialstyrelsenReport> socialstyrelsen(@RestPath String year) {
        return reports.socialstyrelsen(parseYear(year));
    }

    static int parseYear(String year) {
        if (year == null || !year.matches("20\\d{2}")) {
            throw new BadRequestException("year must be four digits, 2000-2099");
        }
        return Integer.parseInt(year);
    }
}
