package se.regionorebrolan.bhv.compensation.rest;


import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;
import se.regionorebrolan.bhv.compensation.service.PayoutService;
import se.regionorebrolan.bhv.kit.InvalidRequestException;

import java.util.List;

/**
 * The finance feed: every line ever booked, in booking order. Poll with the last {@code nextCursor}: lines are
 * committed in cursor order (see BookingService), so polling never misses and never repeats a line.
 */
@Path("/api/v1/payout-lines")
@Produces(MediaType.APPLICATION_JSON)
public class PayoutLineFeedResource {

    static final int MAX_LIMIT = 1000;

    public record Feed(List<PayoutLineView> lines, String nextCursor) {
    }

    private final PayoutService payouts;

    public PayoutLineFeedResource(PayoutService payouts) {
        this.payouts = payouts;
    }

    @RolesAllowed({"finance"})
    @GET
    public Uni<Feed> feed(@RestQuery String after, @RestQuery Integer limit) {
        long cursor = parseCursor(after);
        int size = limit == null ? 500 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be from 1 to " + MAX_LIMIT);
        }
        return payouts.feed(cursor, size).map(lines -> new Feed(lines.stream().map(PayoutLineView::of).toList(),
                Long.toString(lines.isEmpty() ? cursor : lines.get(lines.size() - 1).lineId())));
    }

    private static long parseCursor(String after) {
        if (after == null || after.isEmpty()) {
            return 0;
        }
        try {
            long cursor = Long.parseLong(after);
            if (cursor < 0) {
                throw new NumberFormatException();
            }
            return cursor;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("after", "must be a cursor returned as nextCursor (or empty to start)");
        }
    }
}
