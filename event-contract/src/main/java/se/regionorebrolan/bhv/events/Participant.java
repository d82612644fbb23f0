package se.regionorebrolan.bhv.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One person on a home visit: a BHV nurse (by HSA-id), social services (by organisation), or other. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Participant(ParticipantRole role, String hsaId, String organisation) {
}
