package se.regionorebrolan.bhv.visit.service;

/** The same source key was posted with other content: the EHR must send a correction instead. */
public class VisitConflictException extends RuntimeException {

    private final String visitId;

    public VisitConflictException(String visitId) {
        super("A visit with this sourceSystem and sourceVisitId already exists with different content (visit "
                + visitId + "). Send a correction with PUT /api/v1/visits/" + visitId + ".");
        this.visitId = visitId;
    }

    public String visitId() {
        return visitId;
    }
}
