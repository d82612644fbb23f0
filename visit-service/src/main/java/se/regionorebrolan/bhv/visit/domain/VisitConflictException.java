package se.regionorebrolan.bhv.visit.domain;

/** The request conflicts with the stored visit (other content under the same key, a retracted visit, ...). */
public class VisitConflictException extends RuntimeException {

    private final String visitId;

    public VisitConflictException(String visitId, String message) {
        super(message);
        this.visitId = visitId;
    }

    public String visitId() {
        return visitId;
    }
}
