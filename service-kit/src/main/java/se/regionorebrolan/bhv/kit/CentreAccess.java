package se.regionorebrolan.bhv.kit;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonString;

/**
 * The role {@code centre} sees only its own centre: the centre's HSA-id is the token's claim {@code centre_hsa_id}.
 * Callers with a wider role pass.
 */
public final class CentreAccess {

    public static final String CLAIM = "centre_hsa_id";

    private CentreAccess() {
    }

    /** Passes when the caller has one of the wider roles, or is the centre {@code centreId}; else 403. */
    public static void require(SecurityIdentity identity, String centreId, String... widerRoles) {
        for (String role : widerRoles) {
            if (identity.hasRole(role)) {
                return;
            }
        }
        String own = claimedCentre(identity);
        if (own == null || centreId == null || !own.equals(centreId)) {
            throw new ForbiddenException("not this centre's data");
        }
    }

    /** The centre the caller's token names (claim {@code centre_hsa_id}), or null. */
    public static String claimedCentre(SecurityIdentity identity) {
        Object claim = TokenClaims.get(identity, CLAIM);
        return claim instanceof JsonString text ? text.getString() : claim == null ? null : claim.toString();
    }
}
