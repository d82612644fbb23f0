package se.regionorebrolan.bhv.visit.rest;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import se.regionorebrolan.bhv.kit.TokenClaims;

/**
 * An EHR integration writes only its own source systems' visits (CONTRACT.md, "Tokens"): its token's claim
 * {@code source_systems} lists them, and creating, correcting or retracting a visit of any other source system is
 * 403. A visit's source system never changes (a correction keeps its source key), so no system can move another's
 * visit to another centre.
 */
public final class SourceSystemAccess {

    static final String CLAIM = "source_systems";

    private SourceSystemAccess() {
    }

    /** Whether the caller's token lists the source system. */
    public static boolean allowed(SecurityIdentity identity, String sourceSystem) {
        if (sourceSystem == null) {
            return false;
        }
        Object claim = TokenClaims.get(identity, CLAIM);
        if (claim instanceof JsonArray systems) {
            return systems.stream().anyMatch(s -> s instanceof JsonString text && text.getString().equals(sourceSystem));
        }
        return claim instanceof java.util.Collection<?> systems && systems.contains(sourceSystem);
    }

    /** Passes when the caller's token lists the source system; else 403. */
    public static void require(SecurityIdentity identity, String sourceSystem) {
        if (!allowed(identity, sourceSystem)) {
            throw new ForbiddenException("not a source system of this integration");
        }
    }
}
