package se.regionorebrolan.bhv.compensation.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.model.Centre;
import se.regionorebrolan.bhv.compensation.model.CompensationModel;
import se.regionorebrolan.bhv.compensation.model.RuleSet;
import se.regionorebrolan.bhv.compensation.rest.CentreRequest;
import se.regionorebrolan.bhv.compensation.service.InvalidRequestException.FieldError;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The centre registry: who is paid, and by which model. */
@ApplicationScoped
public class CentreService {

    private static final Pattern HSA_ID = Pattern.compile("SE\\d{10}-[A-Za-z0-9]{1,31}");
    private static final BigDecimal MAX_CNI = new BigDecimal("100");

    /** The outcome of a PUT: the centre, and whether it was new. */
    public record Saved(Centre centre, boolean created) {
    }

    @WithTransaction
    public Uni<Saved> put(String centreId, CentreRequest request) {
        List<FieldError> errors = validate(centreId, request);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return RuleSet.validOn(SwedishCalendar.today()).chain(rules -> {
            if (request.compensationModel() == CompensationModel.FIXED_EXTENDED
                    && (rules == null || request.childCni().compareTo(rules.cniThreshold) <= 0)) {
                throw new InvalidRequestException("childCni", "a FIXED_EXTENDED centre must have a child-CNI above "
                        + (rules == null ? "the threshold" : rules.cniThreshold.toPlainString()));
            }
            return Centre.<Centre>findById(centreId);
        }).chain(existing -> {
            Centre centre = existing != null ? existing : new Centre();
            centre.centreId = centreId;
            centre.name = request.name().strip();
            centre.municipality = request.municipality().strip();
            centre.compensationModel = request.compensationModel();
            centre.childCni = request.childCni();
            centre.listedChildren0to5 = request.listedChildren0to5();
            centre.fixedApprovedFrom = request.fixedApprovedFrom();
            centre.updatedAt = Instant.now();
            return centre.<Centre>persist().map(saved -> new Saved(saved, existing == null));
        });
    }

    private static List<FieldError> validate(String centreId, CentreRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (!HSA_ID.matcher(centreId).matches()) {
            errors.add(new FieldError("centreId", "must be the centre's HSA-id, e.g. SE2321000164-E000000000001"));
        }
        if (request == null) {
            errors.add(new FieldError("body", "a centre is required"));
            return errors;
        }
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            errors.add(new FieldError("name", "is required (at most 200 characters)"));
        }
        if (request.municipality() == null || request.municipality().isBlank() || request.municipality().length() > 100) {
            errors.add(new FieldError("municipality", "is required (at most 100 characters)"));
        }
        if (request.compensationModel() == null) {
            errors.add(new FieldError("compensationModel", "is required: VARIABLE or FIXED_EXTENDED"));
        }
        if (request.childCni() == null || request.childCni().signum() < 0 || request.childCni().compareTo(MAX_CNI) >= 0
                || request.childCni().stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError("childCni", "is required: a number from 0 to 99.99 with at most two decimals"));
        }
        if (request.listedChildren0to5() == null || request.listedChildren0to5() < 0) {
            errors.add(new FieldError("listedChildren0to5", "is required: a whole number, 0 or more"));
        }
        if (request.compensationModel() == CompensationModel.FIXED_EXTENDED && request.fixedApprovedFrom() == null) {
            errors.add(new FieldError("fixedApprovedFrom", "is required for a FIXED_EXTENDED centre"));
        }
        return errors;
    }
}
