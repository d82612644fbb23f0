package se.regionorebrolan.bhv.visit.domain;

/** No visit with that id. */
public class VisitNotFoundException extends RuntimeException {
    public VisitNotFoundException() {
        super("No visit with this visitId.");
    }
}
