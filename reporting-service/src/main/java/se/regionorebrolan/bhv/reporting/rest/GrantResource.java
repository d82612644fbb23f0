package se.regionorebrolan.bhv.reporting.rest;

import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.reporting.service.GrantService;
import se.regionorebrolan.bhv.kit.InvalidRequestException;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;

/** The grant received per year and the other costs paid from it (CONTRACT.md, reporting-service). */
@Path("/api/v1/grants/{year}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GrantResource {

    public record GrantRequest(String amountReceived, String projectCode) {
    }

    public record CostRequest(String kind, String reference, LocalDate date, String amount, String description) {
    }

    private final GrantService grants;

    public GrantResource(GrantService grants) {
        this.grants = grants;
    }

    @RolesAllowed({"bhv-admin"})
    @PUT
    public Uni<GrantService.Grant> put(@RestPath String year, GrantRequest request) {
        int y = ReportResource.parseYear(year);
        if (request == null) {
            throw new InvalidRequestException("body", "is required");
        }
        return grants.putGrant(y, request.amountReceived(), request.projectCode());
    }

    @RolesAllowed({"bhv-admin", "reporting"})
    @GET
    public Uni<GrantService.Grant> get(@RestPath String year) {
        return grants.grant(ReportResource.parseYear(year));
    }

    @RolesAllowed({"bhv-admin"})
    @POST
    @Path("/costs")
    public Uni<RestResponse<GrantService.Cost>> addCost(@RestPath String year, CostRequest request) {
        int y = ReportResource.parseYear(year);
        if (request == null) {
            throw new InvalidRequestException("body", "is required");
        }
        return grants.addCost(y, request.kind(), request.reference(), request.date(), request.amount(),
                        request.description())
                .map(outcome -> outcome.created()
                        ? RestResponse.ResponseBuilder.<GrantService.Cost>created(URI.create("/api/v1/grants/" + y
                        + "/costs/" + outcome.cost().costId())).entity(outcome.cost()).build()
                        : RestResponse.ok(outcome.cost()));
    }

    @RolesAllowed({"bhv-admin", "reporting"})
    @GET
    @Path("/costs")
    public Uni<List<GrantService.Cost>> costs(@RestPath String year) {
        return grants.costs(ReportResource.parseYear(year));
    }

    @RolesAllowed({"bhv-admin", "reporting"})
    @GET
    @Path("/costs/{costId}")
    public Uni<GrantService.Cost> cost(@RestPath String year, @RestPath long costId) {
        return grants.cost(ReportResource.parseYear(year), costId);
    }
}
