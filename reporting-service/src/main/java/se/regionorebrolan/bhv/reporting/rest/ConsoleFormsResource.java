package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.reporting.domain.AllocationModel;
import se.regionorebrolan.bhv.reporting.service.GrantService;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The console's forms: the year's grant and its costs (bhv-admin), and the allocation calculator (reporting,
 * bhv-admin: a CSV in, the distribution shown and to download). A refused entry comes back to the page with the
 * fields named (never their values); nothing is stored.
 */
@Path("/console")
@Blocking
public class ConsoleFormsResource {

    private static final int MAX_UPLOAD = 1_000_000;

    @Inject
    SecurityIdentity identity;

    @Inject
    @Location("console/allocation.html")
    Template allocation;

    private final GrantService grants;

    public ConsoleFormsResource(GrantService grants) {
        this.grants = grants;
    }

    @Operation(hidden = true)
    @RolesAllowed({"bhv-admin"})
    @POST
    @Path("/grant")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response grant(@RestForm int year, @RestForm String amountReceived, @RestForm String projectCode) {
        return back(year, "grant", () -> grants.putGrant(year, amountReceived, projectCode).await().indefinitely());
    }

    @Operation(hidden = true)
    @RolesAllowed({"bhv-admin"})
    @POST
    @Path("/cost")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cost(@RestForm int year, @RestForm String kind, @RestForm String reference, @RestForm String date,
                         @RestForm String amount, @RestForm String description) {
        return back(year, "cost", () -> grants.addCost(year, kind, reference, date(date), amount,
                description == null || description.isBlank() ? null : description).await().indefinitely());
    }

    /** The distribution of a CSV of recipients (the columns of POST /api/v1/allocations), shown as a table. */
    @Operation(hidden = true)
    @RolesAllowed({"reporting", "bhv-admin"})
    @POST
    @Path("/allocation")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance allocate(@RestForm FileUpload file, @RestForm String csv, @RestForm Long total)
            throws IOException {
        String body = csv != null ? csv : file == null || file.size() > MAX_UPLOAD ? null
                : Files.readString(file.uploadedFile(), StandardCharsets.UTF_8);
        long sum = total == null ? AllocationModel.DEFAULT_TOTAL : total;
        try {
            if (body == null) {
                throw new InvalidRequestException("file", "choose a CSV file of at most 1 MB");
            }
            return allocation.data("user", identity.getPrincipal().getName()).data("total", sum).data("csv", body)
                    .data("error", null).data("allocations",
                            AllocationModel.allocate(sum, AllocationResource.recipients(body)));
        } catch (InvalidRequestException e) {
            return allocation.data("user", identity.getPrincipal().getName()).data("total", sum).data("csv", "")
                    .data("error", errors(e.errors())).data("allocations", List.of());
        }
    }

    /** The same distribution as CSV, to download. */
    @Operation(hidden = true)
    @RolesAllowed({"reporting", "bhv-admin"})
    @POST
    @Path("/allocation.csv")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response allocationCsv(@RestForm String csv, @RestForm Long total) {
        long sum = total == null ? AllocationModel.DEFAULT_TOTAL : total;
        StringBuilder out = new StringBuilder(Csv.row("code", "name", "kind", "amount"));
        AllocationModel.allocate(sum, AllocationResource.recipients(csv))
                .forEach(a -> out.append(Csv.row(a.code(), a.name(), a.kind(), a.amount())));
        return Response.ok(out.toString(), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"fordelning.csv\"").build();
    }

    private static Response back(int year, String what, Runnable write) {
        String outcome;
        try {
            write.run();
            outcome = "saved=" + what;
        } catch (InvalidRequestException e) {
            outcome = "error=" + URLEncoder.encode(errors(e.errors()), StandardCharsets.UTF_8);
        } catch (ClientErrorException e) {
            outcome = "error=" + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8);
        }
        return Response.seeOther(URI.create("/console/?year=" + year + "&" + outcome)).build();
    }

    private static String errors(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
    }

    private static LocalDate date(String value) {
        try {
            return value == null || value.isBlank() ? null : LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidRequestException("date", "must be a date YYYY-MM-DD");
        }
    }
}
