package se.regionorebrolan.bhv.reporting.service;

import java.util.List;

/** A request that failed validation; nothing was changed. */
public class InvalidRequestException extends RuntimeException {

    /** One invalid field (or row), as the problem response lists it. */
    public record FieldError(String field, String message) {
    }

    private final transient List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.size() + " invalid field(s)");
        this.errors = List.copyOf(errors);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
