package se.regionorebrolan.bhv.kit;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A bearer token's own claims (those MicroProfile JWT does not name, such as {@code centre_hsa_id} and
 * {@code source_systems}), read once when the token is verified and kept with the caller's identity
 * ({@link VerifiedTokens}). SmallRye JWT looks every claim name up among its standard names with
 * {@code Enum.valueOf}, so each read of an own claim from the token threw and caught an IllegalArgumentException
 * with its stack trace: one per visit of a batch, and two per single visit (its source system, the audit's centre).
 */
public final class TokenClaims {

    private static final String ATTRIBUTE = "bhv.token-claims";
    private static final Set<String> STANDARD = Arrays.stream(Claims.values()).map(Claims::name)
            .collect(Collectors.toUnmodifiableSet());

    private TokenClaims() {
    }

    /** The identity with its token's own claims read; an identity without a token as it is. */
    static SecurityIdentity read(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return identity;
        }
        Map<String, Object> own = new HashMap<>();
        for (String name : jwt.getClaimNames()) {
            Object value = STANDARD.contains(name) ? null : jwt.getClaim(name);
            if (value != null) {
                own.put(name, value);
            }
        }
        return QuarkusSecurityIdentity.builder(identity).addAttribute(ATTRIBUTE, Map.copyOf(own)).build();
    }

    /**
     * The value of one of the token's own claims as SmallRye JWT gives it (a JsonString, a JsonArray, …), or null
     * when the token has no such claim or the caller no token.
     */
    public static Object get(SecurityIdentity identity, String name) {
        if (identity == null || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return null;
        }
        Map<String, Object> own = identity.getAttribute(ATTRIBUTE);
        return own != null ? own.get(name) : jwt.getClaim(name);
    }
}
