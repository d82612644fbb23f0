package se.regionorebrolan.bhv.kit;

import io.smallrye.config.ConfigMapping;

/**
 * The audience every token must name (CONTRACT.md, "Tokens"), as a config mapping so that a service does not start
 * without it: {@code bhv.token.audience} (production: {@code JWT_AUDIENCE}), which {@code mp.jwt.verify.audiences}
 * refers to. The JWT library itself would read the audience only when the first token comes, and would then check
 * none if it were missing.
 */
@ConfigMapping(prefix = "bhv.token")
public interface TokenSettings {

    String audience();
}
