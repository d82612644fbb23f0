package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The audit trail for {@code bhv-admin}: newest first, filtered by actor, id, action and time. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    /** {@code occurrences}: more than 1 only for requests without a valid token, tallied per window. */
    public record AuditEvent(long auditId, Instant at, String actor, List<String> roles, String centre, String action,
                             List<String> ids, int status, long occurrences) {
    }

    /** A page of events and the {@code before} that gives the next (older) page, null at the end. */
    public record AuditPage(List<AuditEvent> events, Long nextBefore) {
    }

    private final Pool pool;

    public AuditResource(Pool pool) {
        this.pool = pool;
    }

    @RolesAllowed({"bhv-admin"})
    @GET
    public Uni<AuditPage> events(@RestQuery String actor, @RestQuery String id, @RestQuery String action,
                                 @RestQuery String from, @RestQuery String to, @RestQuery Long before,
                                 @RestQuery Integer limit) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw new BadRequestException("limit must be 1-1000");
        }
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        return pool.preparedQuery("""
                        SELECT audit_id, at, actor, roles, centre, action, ids, status, occurrences FROM audit_event
                        WHERE ($1::text IS NULL OR actor = $1)
                          AND ($2::text IS NULL OR ids @> ARRAY[$2::text])
                          AND ($3::text IS NULL OR action LIKE $3 || '%')
                          AND ($4::timestamptz IS NULL OR at >= $4)
                          AND ($5::timestamptz IS NULL OR at < $5)
                          AND ($6::bigint IS NULL OR audit_id < $6)
                        ORDER BY audit_id DESC LIMIT $7""")
                .execute(Tuple.from(Arrays.asList(actor, id, action, fromTime == null ? null
                        : fromTime.atOffset(java.time.ZoneOffset.UTC), toTime == null ? null
                        : toTime.atOffset(java.time.ZoneOffset.UTC), before, size)))
                .map(rows -> {
                    List<AuditEvent> events = new ArrayList<>();
                    for (Row r : rows) {
                        events.add(new AuditEvent(r.getLong(0), r.getOffsetDateTime(1).toInstant(), r.getString(2),
                                r.getString(3).isEmpty() ? List.of() : List.of(r.getString(3).split(",")),
                                r.getString(4), r.getString(5), Arrays.asList(r.getArrayOfStrings(6)),
                                r.getInteger(7), r.getLong(8)));
                    }
                    return new AuditPage(events, events.size() == size ? events.get(events.size() - 1).auditId()
                            : null);
                });
    }

    private static Instant instant(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field + " must be a UTC instant, e.g. 2026-03-16T00:00:00Z");
        }
    }
}
