package se.regionorebrolan.bhv.events;

import java.util.UUID;

/** The data of {@code VisitRetracted}: the visit was registered in error. */
public record VisitRetractedData(UUID visitId, int revision, String centreId, String reason) {
}
