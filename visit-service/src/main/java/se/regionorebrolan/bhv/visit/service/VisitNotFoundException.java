package se.regionorebrolan.bhv.visit.service;

/** No visit with that id. */
public class VisitNotFoundException extends RuntimeException {
    public VisitNotFoundException() {
        super("No visit with this visitId.");
    }
}
