package se.regionorebrolan.bhv.compensation.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import se.regionorebrolan.bhv.compensation.model.Centre;
import se.regionorebrolan.bhv.compensation.model.ClosedPeriod;
import se.regionorebrolan.bhv.compensation.model.PayoutLine;
import se.regionorebrolan.bhv.compensation.service.InvalidRequestException;
import se.regionorebrolan.bhv.compensation.service.Statement;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Payout statements per centre and month (CONTRACT.md), for finance and the central child-health unit. */
@Path("/api/v1/payouts")
@Produces(MediaType.APPLICATION_JSON)
public class PayoutResource {

    @Inject
    SecurityIdentity identity;

    /** A statement with its lines. */
    public record StatementWithLines(@JsonUnwrapped Statement statement, List<PayoutLineView> lines) {
    }

    @RolesAllowed({"finance", "bhv-admin"})
    @GET
    @WithSession
    public Uni<List<Statement>> statements(@RestQuery String period) {
        String month = period("period", period);
        // one statement per known centre, zeros included (CONTRACT.md), and for any centre with lines
        return ClosedPeriod.findById(month).chain(closed -> Centre.<Centre>listAll().chain(centres ->
                PayoutLine.<PayoutLine>list("period = ?1 order by lineId", month).map(lines -> {
                    Map<String, List<PayoutLine>> byCentre = lines.stream()
                            .collect(Collectors.groupingBy(l -> l.centreId, TreeMap::new, Collectors.toList()));
                    centres.forEach(c -> byCentre.putIfAbsent(c.centreId, List.of()));
                    return byCentre.entrySet().stream()
                            .map(e -> Statement.of(e.getKey(), month, closed != null, e.getValue())).toList();
                })));
    }

    @RolesAllowed({"finance", "bhv-admin", "centre"})
    @GET
    @Path("/{centreId}/{period}")
    @WithSession
    public Uni<StatementWithLines> statement(@RestPath String centreId, @RestPath String period) {
        CentreAccess.require(identity, centreId, "finance", "bhv-admin");
        String month = period("period", period);
        // a known centre without lines has a statement of zeros; an unknown centre has none
        return Centre.findById(centreId).chain(centre -> {
            if (centre == null) {
                throw new NotFoundException();
            }
            return PayoutLine.<PayoutLine>list("centreId = ?1 and period = ?2 order by lineId", centreId, month);
        }).chain(lines -> ClosedPeriod.findById(month).map(closed -> new StatementWithLines(
                Statement.of(centreId, month, closed != null, lines), lines.stream().map(PayoutLineView::of).toList())));
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
