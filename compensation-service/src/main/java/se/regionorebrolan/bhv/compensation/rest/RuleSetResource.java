package se.regionorebrolan.bhv.compensation.rest;

import se.regionorebrolan.bhv.compensation.domain.CentreRules;

import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.compensation.domain.FixedCompensation;
import se.regionorebrolan.bhv.compensation.domain.RuleSet;
import se.regionorebrolan.bhv.compensation.service.RuleSetService;
import se.regionorebrolan.bhv.compensation.service.CentreService;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.compensation.domain.SwedishCalendar;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Effective-dated rule sets (CONTRACT.md): a visit is priced by the rule set valid on its visit date. A new one may
 * only start on a future date, so it can never reprice a visit already booked.
 */
@Path("/api/v1/rule-sets")
@Produces(MediaType.APPLICATION_JSON)
public class RuleSetResource {

    private final RuleSetService rules;

    public RuleSetResource(RuleSetService rules) {
        this.rules = rules;
    }

    @RolesAllowed({"bhv-admin", "finance"})
    @GET
    public Uni<List<RuleSetView>> list() {
        return rules.list().map(all -> all.stream().map(RuleSetView::of).toList());
    }

    @RolesAllowed({"bhv-admin"})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<RuleSetView>> add(RuleSetView request) {
        List<FieldError> errors = validate(request, SwedishCalendar.today());
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return rules.add(new RuleSet(request.ruleSetId(), request.validFrom(), ore(request.jointVisit()),
                        ore(request.ordinaryVisit()), request.requiredKvaCode(), request.cniThreshold(), request.source(),
                        request.fixedWeighting() != null ? request.fixedWeighting()
                                : FixedCompensation.Weighting.LISTED_CHILDREN_TIMES_CNI, Instant.now()))
                .map(saved -> RestResponse.status(RestResponse.Status.CREATED, RuleSetView.of(saved)));
    }

    private static List<FieldError> validate(RuleSetView r, LocalDate today) {
        List<FieldError> errors = new ArrayList<>();
        if (r == null) {
            return List.of(new FieldError("body", "a rule set is required"));
        }
        if (r.ruleSetId() == null || !r.ruleSetId().matches("[A-Za-z0-9._-]{1,20}")) {
            errors.add(new FieldError("ruleSetId", "is required: 1-20 letters, digits or ._-"));
        }
        if (r.validFrom() == null || !r.validFrom().isAfter(today)) {
            errors.add(new FieldError("validFrom", "must be a future date: a new rule set never reprices booked visits"));
        }
        for (var money : List.of(new Object[] {"jointVisit", r.jointVisit()}, new Object[] {"ordinaryVisit", r.ordinaryVisit()})) {
            BigDecimal amount = (BigDecimal) money[1];
            if (amount == null || amount.signum() < 0 || amount.stripTrailingZeros().scale() > 2
                    || amount.compareTo(new BigDecimal("1000000")) >= 0) {
                errors.add(new FieldError((String) money[0], "is required: SEK, 0 or more, at most two decimals"));
            }
        }
        if (r.requiredKvaCode() == null || !r.requiredKvaCode().matches("[A-Z]{2}\\d{3}")) {
            errors.add(new FieldError("requiredKvaCode", "is required: a KVÅ code such as ZV509"));
        }
        if (r.cniThreshold() == null || r.cniThreshold().signum() < 0 || r.cniThreshold().stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError("cniThreshold", "is required: 0 or more, at most two decimals"));
        }
        if (r.source() == null || r.source().isBlank() || r.source().length() > 500) {
            errors.add(new FieldError("source", "is required: the decision or routine the rules come from"));
        } else {
            CentreRules.noIdentityNumber(errors, "source", r.source());
        }
        return errors;
    }

    private static long ore(BigDecimal sek) {
        return sek.movePointRight(2).longValueExact();
    }
}
