package se.regionorebrolan.bhv.kit;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The bounds {@link BodyBudget} keeps on large request bodies ({@code bhv.http.*}, every service). Read when the
 * filters are built, at static init.
 */
@StaticInitSafe
@ConfigMapping(prefix = "bhv.http")
public interface BodyLimits {

    /** The declared bytes of the large bodies a replica reads or handles at once. */
    @WithDefault("16M")
    MemorySize bodyBudget();

    /** The bytes per second a large body must arrive at on average, after {@link #bodyGrace()}. */
    @WithDefault("64K")
    MemorySize bodyMinRate();

    /** How long a large body may take before its rate is held to {@link #bodyMinRate()}. */
    @WithDefault("10S")
    Duration bodyGrace();
}
