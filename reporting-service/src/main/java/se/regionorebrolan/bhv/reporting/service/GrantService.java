package se.regionorebrolan.bhv.reporting.service;

import se.regionorebrolan.bhv.reporting.domain.Money;

import se.regionorebrolan.bhv.kit.InvalidRequestException;
import com.fasterxml.jackson.annotation.JsonFormat;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import se.regionorebrolan.bhv.reporting.repository.GrantRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportCentreRepository;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import se.regionorebrolan.bhv.events.IdentityNumbers;
import se.regionorebrolan.bhv.kit.FieldError;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the region enters for the reports: the grant received per year with its project code, the other costs paid
 * from it, and the fixed-model centres' narratives for the regional report.
 */
@ApplicationScoped
public class GrantService {

    public enum CostKind { SALARY, INVOICE, OTHER }

    public record Grant(int year, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amountReceived,
                        String projectCode, Instant updatedAt) {
    }

    public record Cost(long costId, int year, String kind, String reference, LocalDate date,
                       @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount, String description,
                       Instant createdAt) {
    }

    public record Narrative(String formAndContent, String plannedDevelopment, Instant updatedAt) {
    }

    /** A stored cost and whether this request created it (201) or found it stored with the same content (200). */
    public record CostOutcome(Cost cost, boolean created) {
    }

    private static final Pattern PROJECT_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._/-]{0,49}");
    private static final int MAX_TEXT = 20_000;

    private final GrantRepository grants;
    private final ReportCentreRepository centres;

    public GrantService(GrantRepository grants, ReportCentreRepository centres) {
        this.grants = grants;
        this.centres = centres;
    }

    public Uni<Grant> putGrant(int year, String amountReceived, String projectCode) {
        List<FieldError> errors = new ArrayList<>();
        Long ore = Money.parseOre(amountReceived);
        if (ore == null) {
            errors.add(new FieldError("amountReceived", "must be a non-negative SEK amount as a string with at most"
                    + " two decimals, e.g. \"1250000.00\""));
        }
        if (projectCode == null || !PROJECT_CODE.matcher(projectCode).matches()) {
            errors.add(new FieldError("projectCode", "is required: 1-50 letters, digits, space, . _ / -"));
        } else if (IdentityNumbers.in(projectCode)) {
            errors.add(new FieldError("projectCode", "must not contain a personal identity number"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return grants.saveGrant(year, ore, projectCode);
    }

    public Uni<Grant> grant(int year) {
        return grants.grant(year).map(grant -> {
            if (grant == null) {
                throw new NotFoundException("No grant is registered for " + year + ".");
            }
            return grant;
        });
    }

    /**
     * Registers a cost paid from the year's grant. Its reference is unique within the year: the same cost again
     * answers the stored one, another cost under the same reference is a conflict. A date outside the year is
     * accepted (it happened, and the report must show it) but is not counted as spent and raises the repayment risk.
     */
    public Uni<CostOutcome> addCost(int year, String kind, String reference, LocalDate date, String amount,
                                    String description) {
        List<FieldError> errors = new ArrayList<>();
        if (kind == null || java.util.Arrays.stream(CostKind.values()).noneMatch(k -> k.name().equals(kind))) {
            errors.add(new FieldError("kind", "must be SALARY, INVOICE or OTHER"));
        }
        if (reference == null || reference.isBlank() || reference.length() > 100) {
            errors.add(new FieldError("reference", "is required: the voucher, invoice or salary specification"
                    + " number, at most 100 characters"));
        } else if (IdentityNumbers.in(reference)) {
            errors.add(new FieldError("reference", "must not contain a personal identity number"));
        }
        if (date == null || date.getYear() < year - 1 || date.getYear() > year + 1) {
            errors.add(new FieldError("date", "is required and must lie within a year of the grant year"));
        }
        Long ore = Money.parseOre(amount);
        if (ore == null || ore == 0) {
            errors.add(new FieldError("amount", "must be a positive SEK amount as a string with at most two"
                    + " decimals"));
        }
        if (description != null && (description.length() > 500 || IdentityNumbers.in(description))) {
            errors.add(new FieldError("description", "must be at most 500 characters, without personal identity"
                    + " numbers"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        String ref = reference.strip();
        return grant(year).chain(grant -> grants.addCost(year, kind, ref, date, ore, description))
                .chain(added -> added != null ? Uni.createFrom().item(new CostOutcome(added, true))
                        : grants.costByReference(year, ref).map(stored -> {
                            if (!stored.kind().equals(kind) || !stored.date().equals(date)
                                    || stored.amount().compareTo(Money.sek(ore)) != 0
                                    || !Objects.equals(stored.description(), description)) {
                                throw new ClientErrorException("A different cost is registered under this"
                                        + " reference for the year.", 409);
                            }
                            return new CostOutcome(stored, false);
                        }));
    }

    public Uni<List<Cost>> costs(int year) {
        return grant(year).chain(grant -> grants.costs(year));
    }

    public Uni<Cost> cost(int year, long costId) {
        return grants.cost(year, costId).map(cost -> {
            if (cost == null) {
                throw new NotFoundException("No such cost is registered for " + year + ".");
            }
            return cost;
        });
    }

    /** A fixed-model centre's own narrative for the regional report of a year. */
    public Uni<Narrative> putNarrative(int year, String centreId, String formAndContent, String plannedDevelopment) {
        List<FieldError> errors = new ArrayList<>();
        text(errors, "formAndContent", formAndContent);
        text(errors, "plannedDevelopment", plannedDevelopment);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return centres.fixedIn(centreId, year).chain(fixed -> {
            if (fixed == null) {
                throw new NotFoundException("No centre with this id is known.");
            }
            if (!fixed) {
                throw new ClientErrorException("The centre did not have fixed compensation with extended"
                        + " resource in " + year + "; only those centres report to Hälsovalsenheten.", 409);
            }
            return grants.saveNarrative(year, centreId, formAndContent.strip(), plannedDevelopment.strip());
        });
    }

    private static void text(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "is required: at most " + MAX_TEXT + " characters"));
        } else if (IdentityNumbers.in(value)) {
            errors.add(new FieldError(field, "must not contain a personal identity number"));
        }
    }
}
