package se.regionorebrolan.bhv.compensation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** compensation-service's settings ({@code bhv.*} in application.properties), in one place. */
@ConfigMapping(prefix = "bhv")
public interface CompensationConfig {

    /** How often booked payout lines are looked for to publish on {@code bhv.payouts.v1}. */
    Duration payoutPublishInterval();

    /** The longest a read for finance may run (a statement's lines, reconciliation) before it is stopped. */
    @WithDefault("PT2M")
    Duration readTimeout();

    Outbox outbox();

    Audit audit();

    Metrics metrics();

    FixedCompensation fixedCompensation();

    Readiness readiness();

    interface Outbox {
        /** The service-kit outbox relay (centre events) is built in (a build property). */
        @WithDefault("false")
        boolean enabled();

        /** How often the relay looks for events a crash left unsent; it also wakes on every commit. */
        Duration pollInterval();

        /** How long the relay waits after it sent a partial batch, gathering the next run's (0: not at all). */
        Duration linger();
    }

    interface Audit {
        /** Requests without a valid token are written as one audit row per action and status per window. */
        Duration anonymousWindow();
    }

    interface Metrics {
        /** How often the payout gauges are read from the database. */
        @WithDefault("5s")
        String refreshInterval();

        /** How often this and last month are reconciled for the gauge. */
        @WithDefault("60s")
        String reconciliationInterval();
    }

    interface FixedCompensation {
        /** How often fixed compensation is settled ({@code off}: only after changes and on demand). */
        @WithDefault("1h")
        String interval();
    }

    interface Readiness {
        /** The incoming channels whose consumer group must be connected for the service to be ready. */
        Optional<List<String>> consumerChannels();
    }
}
