package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.kit.CentreAccess;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.compensation.domain.Statement;
import se.regionorebrolan.bhv.compensation.service.PayoutService;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Payout statements per centre and month (CONTRACT.md), for finance and the central child-health unit. */
@Path("/api/v1/payouts")
@Produces(MediaType.APPLICATION_JSON)
public class PayoutResource {

    @Inject
    SecurityIdentity identity;

    /** A statement with its lines. */
    public record StatementView(@JsonUnwrapped Statement statement, List<PayoutLineView> lines) {
    }

    /** At most this many statements per page (a region has a few dozen centres: one page). */
    static final int MAX_PAGE_SIZE = 500;

    @Inject
    PayoutService payouts;

    /**
     * One statement per known centre, zeros included (CONTRACT.md), in centre-id order, a page at a time
     * ({@code page} from 0, {@code size} up to 500, default 500); a {@code Link: <…>; rel="next"} header names the
     * next page when there is one.
     */
    @RolesAllowed({"finance", "bhv-admin"})
    @GET
    public Uni<RestResponse<List<Statement>>> statements(@RestQuery String period, @RestQuery Integer page,
                                                         @RestQuery Integer size) {
        String month = period("period", period);
        int pageIndex = page == null ? 0 : page;
        int pageSize = size == null ? MAX_PAGE_SIZE : size;
        if (pageIndex < 0 || pageSize < 1 || pageSize > MAX_PAGE_SIZE || (long) pageIndex * pageSize > 1_000_000) {
            throw new InvalidRequestException("page/size", "page >= 0, size 1-" + MAX_PAGE_SIZE);
        }
        return payouts.statements(month, pageIndex, pageSize).map(found -> {
            RestResponse.ResponseBuilder<List<Statement>> answer = RestResponse.ResponseBuilder.ok(found.statements());
            if (found.more()) {
                answer.header("Link", "</api/v1/payouts?period=" + month + "&page=" + (pageIndex + 1) + "&size="
                        + pageSize + ">; rel=\"next\"");
            }
            return answer.build();
        });
    }

    @RolesAllowed({"finance", "bhv-admin", "centre"})
    @GET
    @Path("/{centreId}/{period}")
    public Uni<StatementView> statement(@RestPath String centreId, @RestPath String period) {
        CentreAccess.require(identity, centreId, "finance", "bhv-admin");
        String month = period("period", period);
        // a known centre without lines has a statement of zeros; an unknown centre has none
        return payouts.statement(centreId, month).map(found -> {
            if (found == null) {
                throw new NotFoundException();
            }
            return new StatementView(found.statement(), found.lines().stream().map(PayoutLineView::of).toList());
        });
    }

    static String period(String field, String value) {
        try {
            if (value == null || !value.matches("\\d{4}-\\d{2}")) {
                throw new DateTimeParseException("", "", 0);
            }
            return YearMonth.parse(value).toString();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be a month YYYY-MM");
        }
    }
}
