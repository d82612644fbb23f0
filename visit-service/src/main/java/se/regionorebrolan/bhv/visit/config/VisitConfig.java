package se.regionorebrolan.bhv.visit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

@ConfigMapping(prefix = "bhv")
public interface VisitConfig {

    /** Secret key of the child pseudonym (HMAC-SHA-256). Without it the service does not start in production. */
    String pseudonymKey();

    /** The key's id, stored with every pseudonym it made ({@code childPseudonymKeyId}). */
    @WithDefault("k1")
    String pseudonymKeyId();

    /**
     * The first visit year the key pseudonymises; visits of earlier years keep the previous key, so that a child has
     * one pseudonym within a reporting year whenever the new key is deployed (README, "Rotating the pseudonym key").
     * Empty: every year.
     */
    OptionalInt pseudonymKeyFromYear();

    /** The key before the current one, for visits dated before {@link #pseudonymKeyFromYear()}. */
    Optional<String> pseudonymPreviousKey();

    Optional<String> pseudonymPreviousKeyId();

    Outbox outbox();

    Audit audit();

    Fhir fhir();

    interface Fhir {
        /** {@code <Encounter.identifier system URI>=<sourceSystem>}: which EHR's identifiers map to which system. */
        java.util.List<String> sourceSystems();
    }

    interface Audit {
        /** Requests without a valid token are written as one audit row per action and status per window. */
        Duration anonymousWindow();
    }

    interface Outbox {
        /** The service-kit outbox relay is built in (a build property). */
        @WithDefault("false")
        boolean enabled();

        /** How often the relay looks for events a crash left unsent; it also wakes on every commit. */
        Duration pollInterval();

        /** How long the relay waits after it sent a partial batch, gathering the next run's (0: not at all). */
        Duration linger();
    }
}
