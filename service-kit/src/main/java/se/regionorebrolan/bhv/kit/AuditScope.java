package se.regionorebrolan.bhv.kit;

import java.util.List;

/**
 * What a service adds to its requests' audit records (a bean of the service; without one, the defaults): the query
 * parameters that are identifiers, and the identifiers an answer carries (the visits a search returned).
 */
public interface AuditScope {

    /** The query parameters whose (validated) values are recorded. */
    default List<String> queryIds() {
        return List.of("centreId", "period");
    }

    /** The identifiers of what the answer's entity holds. */
    default List<String> answeredIds(Object entity) {
        return List.of();
    }
}
