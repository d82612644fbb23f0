package se.regionorebrolan.bhv.compensation.domain;

import se.regionorebrolan.bhv.events.IdentityNumbers;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.kit.InvalidRequestException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What a centre, an application or a decision must look like before anything is stored. Pure. */
public final class CentreRules {

    public static final Pattern HSA_ID = Pattern.compile("SE\\d{10}-[A-Za-z0-9]{1,31}");
    private static final BigDecimal MAX_CNI = new BigDecimal("100");
    private static final int MAX_TEXT = 2000;

    private CentreRules() {
    }

    public static void requireText(String field, String value, String what) {
        List<FieldError> errors = new ArrayList<>();
        text(errors, field, value, what);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    public static void text(List<FieldError> errors, String field, String value, String what) {
        if (value == null || value.isBlank() || value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "is required (at most " + MAX_TEXT + " characters): " + what));
        } else {
            noIdentityNumber(errors, field, value);
        }
    }

    /** Every free text of the API: never a personal identity number (the field named, never the value). */
    public static void noIdentityNumber(List<FieldError> errors, String field, String value) {
        if (IdentityNumbers.in(value)) {
            errors.add(new FieldError(field, "must not contain a personal identity number or samordningsnummer"));
        }
    }

    public static List<FieldError> validate(String centreId, CentreRequest request) {
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
        } else {
            noIdentityNumber(errors, "name", request.name());
        }
        if (request.municipality() == null || request.municipality().isBlank() || request.municipality().length() > 100) {
            errors.add(new FieldError("municipality", "is required (at most 100 characters)"));
        } else {
            noIdentityNumber(errors, "municipality", request.municipality());
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
