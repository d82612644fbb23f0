package se.regionorebrolan.bhv.visit.domain;

import se.regionorebrolan.bhv.kit.FieldError;
import java.util.List;

/** The request failed validation; nothing was stored or published. */
public class InvalidVisitException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidVisitException(List<FieldError> errors) {
        super("invalid visit: " + errors.size() + " field(s)");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
