package se.regionorebrolan.bhv.visit.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import se.regionorebrolan.bhv.events.VisitData;

/** A visit as the API answers it: its current content, and whether it was retracted (and why). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredVisit(@JsonUnwrapped VisitData visit, boolean retracted, String retractionReason) {
}
