package se.regionorebrolan.bhv.kit;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Makes every service hold {@link TokenSettings}, so that its configuration is checked when the service starts. */
@Startup
@ApplicationScoped
public class TokenAudience {

    private final String audience;

    public TokenAudience(TokenSettings settings) {
        this.audience = settings.audience();
    }

    public String audience() {
        return audience;
    }
}
