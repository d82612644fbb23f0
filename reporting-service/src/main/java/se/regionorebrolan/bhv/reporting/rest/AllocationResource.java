package se.regionorebrolan.bhv.reporting.rest;

import se.regionorebrolan.bhv.kit.FieldError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;
import se.regionorebrolan.bhv.reporting.domain.AllocationModel;
import se.regionorebrolan.bhv.reporting.domain.AllocationModel.Allocation;
import se.regionorebrolan.bhv.reporting.domain.AllocationModel.Recipient;
import se.regionorebrolan.bhv.kit.InvalidRequestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The national distribution model (CONTRACT.md {@code POST /api/v1/allocations}): recipients as JSON or as CSV with
 * a header row; the answer is JSON, or CSV when the caller accepts {@code text/csv}.
 */
@Path("/api/v1/allocations")
public class AllocationResource {

    static final List<String> COLUMNS = List.of("code", "name", "kind", "children0to5", "children0to5InAreaType1or2");

    public record RecipientRequest(String code, String name, String kind, Long children0to5,
                                   Long children0to5InAreaType1or2) {
    }

    public record AllocationRequest(Long total, List<RecipientRequest> recipients) {
    }

    public record AllocationResponse(long total, List<Allocation> allocations) {
    }

    @RolesAllowed({"reporting", "bhv-admin"})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response json(AllocationRequest request, HttpHeaders headers) {
        if (request == null) {
            throw new InvalidRequestException("body", "is required");
        }
        List<Recipient> recipients = new ArrayList<>();
        if (request.recipients() != null) {
            for (int i = 0; i < request.recipients().size(); i++) {
                RecipientRequest r = request.recipients().get(i);
                String label = "recipients[" + i + "]";
                recipients.add(r == null ? new Recipient(label, null, null, null, null, null)
                        : new Recipient(label, r.code(), r.name(), r.kind(), r.children0to5(),
                        r.children0to5InAreaType1or2()));
            }
        }
        long total = request.total() == null ? AllocationModel.DEFAULT_TOTAL : request.total();
        return answer(total, AllocationModel.allocate(total, recipients), headers);
    }

    @RolesAllowed({"reporting", "bhv-admin"})
    @POST
    @Consumes("text/csv")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response csv(String body, @RestQuery Long total, HttpHeaders headers) {
        long sum = total == null ? AllocationModel.DEFAULT_TOTAL : total;
        return answer(sum, AllocationModel.allocate(sum, recipients(body)), headers);
    }

    /** The CSV's rows as recipients, each labelled by its line number (the header is row 1). */
    static List<Recipient> recipients(String body) {
        List<List<String>> rows;
        try {
            rows = Csv.parse(body == null ? "" : body);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("body", e.getMessage());
        }
        if (rows.isEmpty() || rows.get(0).isEmpty()) {
            throw new InvalidRequestException("row 1", "must be the header " + String.join(",", COLUMNS));
        }
        List<String> header = rows.get(0).stream().map(h -> h.replace("\uFEFF", "").trim()).toList();
        for (String column : COLUMNS) {
            if (!header.contains(column)) {
                throw new InvalidRequestException("row 1", "lacks the column " + column);
            }
        }
        List<Recipient> recipients = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.isEmpty()) {
                continue;
            }
            String label = "row " + (i + 1);
            if (row.size() != header.size()) {
                errors.add(new FieldError(label, "has " + row.size() + " fields, the header "
                        + header.size()));
                continue;
            }
            Map<String, String> fields = new java.util.HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                fields.put(header.get(c), row.get(c).trim());
            }
            recipients.add(new Recipient(label, fields.get("code"), fields.get("name"), fields.get("kind"),
                    number(fields.get("children0to5"), label + ".children0to5", errors),
                    number(fields.get("children0to5InAreaType1or2"), label + ".children0to5InAreaType1or2", errors)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return recipients;
    }

    private static Long number(String text, String field, List<FieldError> errors) {
        if (text == null || text.isEmpty()) {
            return null; // reported as missing
        }
        if (!text.matches("-?\\d{1,18}")) {
            errors.add(new FieldError(field, "must be a whole number"));
            return 0L;
        }
        return Long.parseLong(text);
    }

    private static Response answer(long total, List<Allocation> allocations, HttpHeaders headers) {
        boolean csv = headers.getAcceptableMediaTypes().stream()
                .anyMatch(type -> type.getType().equals("text") && type.getSubtype().equals("csv"));
        if (!csv) {
            return Response.ok(new AllocationResponse(total, allocations), MediaType.APPLICATION_JSON_TYPE).build();
        }
        StringBuilder out = new StringBuilder(Csv.row("code", "name", "kind", "amount"));
        allocations.forEach(a -> out.append(Csv.row(a.code(), a.name(), a.kind(), a.amount())));
        return Response.ok(out.toString(), "text/csv; charset=UTF-8").build();
    }
}
