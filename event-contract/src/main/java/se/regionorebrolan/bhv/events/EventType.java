package se.regionorebrolan.bhv.events;

import java.util.Arrays;

/** The CloudEvents {@code type} of every event in the contract. */
public enum EventType {
    VISIT_RECORDED("VisitRecorded"),
    VISIT_CORRECTED("VisitCorrected"),
    VISIT_RETRACTED("VisitRetracted"),
    PAYOUT_LINE_BOOKED("PayoutLineBooked"),
    /** The latest state of a centre, on the compacted topic {@code bhv.centres.v1} keyed by centre id. */
    CENTRE_UPDATED("CentreUpdated");

    private static final String PREFIX = "se.regionorebrolan.bhv.";

    private final String shortName;

    EventType(String shortName) {
        this.shortName = shortName;
    }

    public String shortName() {
        return shortName;
    }

    /** The full CloudEvents type, e.g. {@code se.regionorebrolan.bhv.VisitRecorded}. */
    public String ceType() {
        return PREFIX + shortName;
    }

    public static EventType fromCeType(String ceType) {
        return Arrays.stream(values())
                .filter(t -> t.ceType().equals(ceType))
                .findFirst()
                .orElseThrow(() -> new InvalidEventException("unknown event type: " + ceType));
    }
}
