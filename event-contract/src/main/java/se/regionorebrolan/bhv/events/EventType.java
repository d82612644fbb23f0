package se.regionorebrolan.bhv.events;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** The CloudEvents {@code type} of every event in the contract. */
public enum EventType {
    VISIT_RECORDED("VisitRecorded", VisitData.class),
    VISIT_CORRECTED("VisitCorrected", VisitData.class),
    VISIT_RETRACTED("VisitRetracted", VisitRetractedData.class),
    PAYOUT_LINE_BOOKED("PayoutLineBooked", PayoutLineBookedData.class),
    /** The latest state of a centre, on the compacted topic {@code bhv.centres.v1} keyed by centre id. */
    CENTRE_UPDATED("CentreUpdated", CentreData.class);

    private static final String PREFIX = "se.regionorebrolan.bhv.";
    private static final Map<String, EventType> BY_CE_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::ceType, t -> t));

    private final String shortName;
    private final Class<?> dataType;

    EventType(String shortName, Class<?> dataType) {
        this.shortName = shortName;
        this.dataType = dataType;
    }

    /** The contract type of this event's {@code data}. */
    public Class<?> dataType() {
        return dataType;
    }

    public String shortName() {
        return shortName;
    }

    /** The full CloudEvents type, e.g. {@code se.regionorebrolan.bhv.VisitRecorded}. */
    public String ceType() {
        return PREFIX + shortName;
    }

    public static EventType fromCeType(String ceType) {
        EventType type = ceType == null ? null : BY_CE_TYPE.get(ceType);
        if (type == null) {
            throw new InvalidEventException("unknown event type: " + ceType);
        }
        return type;
    }
}
