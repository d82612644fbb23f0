package se.regionorebrolan.bhv.visit.service;

import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.visit.domain.StoredVisit;

import java.util.List;
import java.util.UUID;

/** What became of one visit of a write: what a single POST of it answers (201/200, 409, 400). */
public sealed interface RecordResult {

    /** Stored: {@code changed} when this call stored it (and so published), false when it was stored before. */
    record Recorded(StoredVisit visit, boolean changed) implements RecordResult {
    }

    /** Its source key is taken by a visit with other content. */
    record Conflict(UUID visitId, String detail) implements RecordResult {
    }

    /** Refused before anything was stored (its centre is not in the registry). */
    record Refused(List<FieldError> errors) implements RecordResult {
    }
}
