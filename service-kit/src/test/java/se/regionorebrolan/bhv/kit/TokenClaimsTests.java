package se.regionorebrolan.bhv.kit;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A token's own claims are read once, when it is verified, and then come from the identity. */
class TokenClaimsTests {

    /** SmallRye JWT's own principal over real claims, counting how often a claim's name is looked up. */
    private static final class CountingPrincipal extends DefaultJWTCallerPrincipal {
        final AtomicInteger lookups = new AtomicInteger();

        CountingPrincipal(JwtClaims claims) {
            super(claims);
        }

        @Override
        protected Object getClaimValue(String claimName) {
            lookups.incrementAndGet();
            return super.getClaimValue(claimName);
        }
    }

    private static CountingPrincipal token() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("journal-integration");
        claims.setIssuer("https://bhv.local/issuer");
        claims.setStringListClaim("groups", "ehr-integration");
        claims.setStringClaim(CentreAccess.CLAIM, "SE2321000164-1001");
        claims.setStringListClaim("source_systems", List.of("cosmic", "take-care"));
        return new CountingPrincipal(claims);
    }

    @Test
    void ownClaimsAreReadOnceAndServedFromTheIdentity() {
        CountingPrincipal jwt = token();
        Object centre = jwt.getClaim(CentreAccess.CLAIM);
        Object systems = jwt.getClaim("source_systems");
        SecurityIdentity verified = QuarkusSecurityIdentity.builder().setPrincipal(jwt)
                .addRoles(Set.of("ehr-integration")).build();
        SecurityIdentity identity = TokenClaims.read(verified);
        int atVerification = jwt.lookups.get();

        for (int i = 0; i < 1_000; i++) {
            assertEquals(centre, TokenClaims.get(identity, CentreAccess.CLAIM));
            assertEquals(systems, TokenClaims.get(identity, "source_systems"));
            assertNull(TokenClaims.get(identity, "no_such_claim"));
        }
        assertEquals(atVerification, jwt.lookups.get(), "no claim was looked up in the token after its verification");
        assertEquals("SE2321000164-1001", CentreAccess.claimedCentre(identity));
        assertSame(jwt, identity.getPrincipal());
        assertEquals(Set.of("ehr-integration"), identity.getRoles());
        assertNull(TokenClaims.get(identity, "iss"), "a standard claim is not an own claim");
    }

    @Test
    void anIdentityNotReadYetOrWithoutATokenStillAnswers() {
        CountingPrincipal jwt = token();
        SecurityIdentity unread = QuarkusSecurityIdentity.builder().setPrincipal(jwt).build();
        assertEquals("SE2321000164-1001", CentreAccess.claimedCentre(unread));

        Principal someone = () -> "someone";
        SecurityIdentity noToken = QuarkusSecurityIdentity.builder().setPrincipal(someone).build();
        assertSame(noToken, TokenClaims.read(noToken));
        assertNull(TokenClaims.get(noToken, CentreAccess.CLAIM));
        assertNull(TokenClaims.get(null, CentreAccess.CLAIM));
    }
}
