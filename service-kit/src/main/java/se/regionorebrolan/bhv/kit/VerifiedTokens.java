package se.regionorebrolan.bhv.kit;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.MpJwtValidator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers bearer tokens that were verified a moment ago. An EHR integration sends the same token with every visit,
 * and verifying its RS256 signature and claims again each time took about a third of visit-service's CPU under load
 * (issue 18's profile). A token is looked up by its exact text and remembered only after the JWT library verified
 * it (MicroProfile JWT's own provider, which this one runs before), for at most {@value #REMEMBER_MILLIS} ms and
 * never past its expiry; at most {@value #MAX_TOKENS} are kept. Whatever is not remembered is verified as before.
 * The identity carries the token's own claims, read once ({@link TokenClaims}).
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    static final long REMEMBER_MILLIS = 30_000;
    static final int MAX_TOKENS = 256;

    private record Verified(SecurityIdentity identity, long untilMillis) {
    }

    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
    private final MpJwtValidator jwt;

    public VerifiedTokens(MpJwtValidator jwt) {
        this.jwt = jwt;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Before the JWT library's provider (which has the default priority). */
    @Override
    public int priority() {
        return SYSTEM_FIRST + 1000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        long now = System.currentTimeMillis();
        Verified known = verified.get(token);
        if (known != null && now < known.untilMillis()) {
            return Uni.createFrom().item(known.identity());
        }
        return jwt.authenticate(request, context).map(TokenClaims::read)
                .invoke(identity -> remember(token, identity, now));
    }

    private void remember(String token, SecurityIdentity identity, long now) {
        if (!(identity.getPrincipal() instanceof JsonWebToken principal)) {
            return;
        }
        long until = Math.min(now + REMEMBER_MILLIS, principal.getExpirationTime() * 1000);
        if (until <= now) {
            return;
        }
        if (verified.size() >= MAX_TOKENS) {
            verified.values().removeIf(v -> v.untilMillis() <= now);
            if (verified.size() >= MAX_TOKENS) {
                verified.clear();
            }
        }
        verified.put(token, new Verified(identity, until));
    }
}
