package se.regionorebrolan.bhv.visit.config;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

@ConfigMapping(prefix = "bhv")
public interface VisitConfig {

    /** Secret key of the child pseudonym (HMAC-SHA-256). Without it the service does not start in production. */
    String pseudonymKey();

    Outbox outbox();

    interface Outbox {
        /** How often the relay looks for events a crash left unsent; it also wakes on every commit. */
        Duration pollInterval();
    }
}
