package se.regionorebrolan.bhv.reporting.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import se.regionorebrolan.bhv.reporting.domain.Conditions;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** reporting-service's settings ({@code bhv.*} in application.properties), in one place. */
@ConfigMapping(prefix = "bhv")
public interface ReportingConfig {

    /** The thresholds of the five conditions' verdicts ({@code bhv.conditions.cN.met} / {@code .partly}). */
    Conditions.Thresholds conditions();

    Reports reports();

    Audit audit();

    Readiness readiness();

    Console console();

    Summaries summaries();

    /** compensation-service's base URL, for what the console asks it (the closed months); empty: not asked. */
    Optional<String> compensationUrl();

    interface Console {
        /** The session cookie only over HTTPS (production); the local stack serves plain HTTP on loopback. */
        @WithDefault("true")
        boolean secureCookie();
    }

    interface Reports {
        /** No report query holds a connection and a core for longer ({@code SET LOCAL statement_timeout}). */
        @WithDefault("60s")
        Duration statementTimeout();

        /** How many evidence exports may stream at once (each holds a connection); more answer 503. */
        @WithDefault("2")
        int maxConcurrentExports();
    }

    /** When the children's summaries marked due by the projection are recomputed ({@code ChildSummaries}). */
    interface Summaries {
        /** Once the projection has been quiet this long (a burst has passed). */
        @WithDefault("500ms")
        Duration quiet();

        /** At the latest once a mark is this old, quiet or not (a steady load). */
        @WithDefault("5s")
        Duration longest();
    }

    interface Audit {
        /** Requests without a valid token are written as one audit row per action and status per window. */
        Duration anonymousWindow();
    }

    interface Readiness {
        /** The incoming channels whose consumer group must be connected for the service to be ready. */
        Optional<List<String>> consumerChannels();
    }
}
