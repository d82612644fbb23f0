package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.kit.CentreAccess;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.compensation.domain.PayoutLine;
import se.regionorebrolan.bhv.compensation.domain.Statement;
import se.regionorebrolan.bhv.compensation.service.PayoutService;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Payout statements per centre and month (CONTRACT.md), for finance and the central child-health unit. */
@Path("/api/v1/payouts")
@Produces(MediaType.APPLICATION_JSON)
public class PayoutResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    ObjectMapper mapper;

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

    /**
     * The centre's statement of the month with its lines (CONTRACT.md), written as it is read: the statement's fields,
     * then {@code "lines"} a page at a time from a database cursor, so that a month of hundreds of thousands of lines
     * never sits in memory. 404 for a centre that is not registered.
     */
    @RolesAllowed({"finance", "bhv-admin", "centre"})
    @GET
    @Path("/{centreId}/{period}")
    public Multi<byte[]> statement(@RestPath String centreId, @RestPath String period) {
        CentreAccess.require(identity, centreId, "finance", "bhv-admin");
        String month = period("period", period);
        AtomicBoolean firstLine = new AtomicBoolean(true);
        Multi<String> json = payouts.known(centreId).onItem().transformToMulti(known -> {
            if (!known) {
                throw new NotFoundException();
            }
            return Multi.createBy().concatenating().streams(payouts.statement(centreId, month).map(part -> {
                if (part instanceof PayoutService.StatementPart.Head head) {
                    String fields = json(head.statement());
                    return fields.substring(0, fields.length() - 1) + ",\"lines\":[";
                }
                StringBuilder lines = new StringBuilder();
                for (PayoutLine line : ((PayoutService.StatementPart.Lines) part).lines()) {
                    lines.append(firstLine.getAndSet(false) ? "" : ",").append(json(PayoutLineView.of(line)));
                }
                return lines.toString();
            }), Multi.createFrom().item("]}"));
        });
        // bytes: written as they are (a String would be written as a JSON string)
        return RestMulti.fromMultiData(json.map(chunk -> chunk.getBytes(StandardCharsets.UTF_8)))
                .encodeAsJsonArray(false).header("Content-Type", MediaType.APPLICATION_JSON).build();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
