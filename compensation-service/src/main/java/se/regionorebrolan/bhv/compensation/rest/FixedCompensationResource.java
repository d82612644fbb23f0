package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.compensation.domain.CentreRules;

import se.regionorebrolan.bhv.compensation.domain.Centre;

import se.regionorebrolan.bhv.kit.FieldError;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.annotation.JsonFormat;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.compensation.repository.FixedYearlyAmountRepository;
import se.regionorebrolan.bhv.compensation.service.CentreService;
import se.regionorebrolan.bhv.compensation.service.FixedCompensationService;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.compensation.domain.Money;
import se.regionorebrolan.bhv.compensation.domain.RefusedException;
import se.regionorebrolan.bhv.compensation.domain.SwedishCalendar;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * Fixed compensation with extended resource: the region's yearly amount (set by the central child-health unit) and
 * booking a month on demand. The scheduled job books every month of the year so far by itself.
 */
@Path("/api/v1/fixed-compensation")
@Produces(MediaType.APPLICATION_JSON)
public class FixedCompensationResource {

    /** The yearly amount as SEK with at most two decimals, and the decision it comes from. */
    public record YearlyAmount(int year, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount, String source,
                               Instant setAt) {
    }

    public record Booked(String period, List<PayoutLineView> lines) {
    }

    /** One centre's share of a month. */
    public record CentreShare(String centreId, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount) {
    }

    /** A month of the year: its part, what the eligible centres get, and what is left unpaid (no eligible centre). */
    public record MonthView(String period, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal part,
                            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal paid,
                            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal unpaid, List<CentreShare> centres) {
    }

    /** The year's amount with its months as they stand. */
    public record YearView(int year, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount, String source,
                           Instant setAt, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal unpaid,
                           List<MonthView> months) {
    }

    /** Why a centre is on the list of centres that may apply (the routine, a decision). */
    public record EligibleRequest(String source) {
    }

    private final FixedCompensationService fixed;
    private final CentreService registry;

    public FixedCompensationResource(FixedCompensationService fixed, CentreService registry) {
        this.fixed = fixed;
        this.registry = registry;
    }

    /**
     * 201 when set for the first time, 200 when changed; 409 once a month of the year is booked. The months of the
     * year so far are booked before the answer.
     */
    @RolesAllowed({"bhv-admin"})
    @PUT
    @Path("/{year}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<YearlyAmount>> set(@RestPath String year, YearlyAmount request) {
        int y = year(year);
        if (request == null || request.amount() == null || request.amount().signum() < 0
                || request.amount().stripTrailingZeros().scale() > 2
                || request.amount().compareTo(new BigDecimal("10000000000")) >= 0) {
            throw new InvalidRequestException("amount", "is required: SEK, 0 or more, at most two decimals");
        }
        if (request.source() == null || request.source().isBlank() || request.source().length() > 500) {
            throw new InvalidRequestException("source", "is required: the region's decision the amount comes from");
        }
        List<FieldError> errors = new java.util.ArrayList<>();
        CentreRules.noIdentityNumber(errors, "source", request.source());
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        FixedYearlyAmountRepository.YearlyAmount amount = new FixedYearlyAmountRepository.YearlyAmount(y,
                request.amount().movePointRight(2).longValueExact(), request.source(), Instant.now());
        return fixed.setYearly(amount).map(created -> RestResponse.status(
                created ? RestResponse.Status.CREATED : RestResponse.Status.OK, view(amount)));
    }

    @RolesAllowed({"bhv-admin", "finance"})
    @GET
    @Path("/{year}")
    public Uni<YearView> get(@RestPath String year) {
        int y = year(year);
        return fixed.yearly(y).chain(found -> {
            if (found == null) {
                throw new NotFoundException();
            }
            return fixed.year(y).map(months -> new YearView(y, Money.sek(found.amountOre()), found.source(), found.setAt(),
                    Money.sek(months.stream().mapToLong(FixedCompensationService.Month::unpaidOre).sum()),
                    months.stream().map(m -> new MonthView(m.month().toString(), Money.sek(m.partOre()),
                            Money.sek(m.paidOre()), Money.sek(m.unpaidOre()), m.shares().stream()
                            .map(s -> new CentreShare(s.centreId(), Money.sek(s.amountOre()))).toList())).toList()));
        });
    }

    /** Settles the month (books it, or re-splits it); answers the lines booked now (none when it stood as it should). */
    @RolesAllowed({"bhv-admin"})
    @POST
    @Path("/{period}/book")
    public Uni<Booked> book(@RestPath String period) {
        YearMonth month = YearMonth.parse(PayoutResource.period("period", period));
        if (month.isAfter(YearMonth.from(SwedishCalendar.today()))) {
            throw new InvalidRequestException("period", "a month that has not begun has no fixed compensation yet");
        }
        return fixed.settle(month).map(lines -> new Booked(month.toString(),
                lines.stream().map(PayoutLineView::of).toList()));
    }

    private static YearlyAmount view(FixedYearlyAmountRepository.YearlyAmount row) {
        return new YearlyAmount(row.year(), Money.sek(row.amountOre()), row.source(), row.setAt());
    }

    private static int year(String value) {
        if (value == null || !value.matches("20\\d{2}")) {
            throw new InvalidRequestException("year", "must be a year such as 2026");
        }
        return Integer.parseInt(value);
    }

    /** The centres that may apply for the fixed model (seed 000 names four in Örebro), as the unit keeps them. */
    @RolesAllowed({"bhv-admin", "finance", "reporting"})
    @GET
    @Path("/eligible-centres")
    public Uni<List<Centre.Eligible>> eligible() {
        return registry.eligible();
    }

    @RolesAllowed({"bhv-admin"})
    @PUT
    @Path("/eligible-centres/{centreId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Centre.Eligible>> addEligible(@RestPath String centreId, EligibleRequest request) {
        if (!CentreRules.HSA_ID.matcher(centreId).matches()) {
            throw new InvalidRequestException("centreId", "must be the centre's HSA-id");
        }
        String source = request == null ? null : request.source();
        return registry.addEligible(centreId, source).map(created -> RestResponse.status(
                created ? RestResponse.Status.CREATED : RestResponse.Status.OK,
                new Centre.Eligible(centreId, source.strip())));
    }

    @RolesAllowed({"bhv-admin"})
    @DELETE
    @Path("/eligible-centres/{centreId}")
    public Uni<RestResponse<Void>> removeEligible(@RestPath String centreId) {
        return registry.removeEligible(centreId).map(removed -> {
            if (!removed) {
                throw new NotFoundException();
            }
            return RestResponse.noContent();
        });
    }
}
