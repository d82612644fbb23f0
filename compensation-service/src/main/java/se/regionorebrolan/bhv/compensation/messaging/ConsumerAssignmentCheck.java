package se.regionorebrolan.bhv.compensation.messaging;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ready only once this replica's consumer of {@code bhv.visits.v1} has partitions assigned in the group. A
 * rebalance takes the assignment away for a moment: up to {@link #GRACE} without one keeps the replica ready,
 * so that the finance API does not blink with every rebalance. (The broker connection and the database have
 * readiness checks of their own, from the Kafka connector and the datasource.)
 */
@Readiness
@ApplicationScoped
public class ConsumerAssignmentCheck implements AsyncHealthCheck {

    static final Duration GRACE = Duration.ofSeconds(30);

    private final KafkaClientService kafka;
    private final AtomicReference<Instant> lastAssigned = new AtomicReference<>();

    public ConsumerAssignmentCheck(KafkaClientService kafka) {
        this.kafka = kafka;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return kafka.getConsumer("visit-events").getAssignments().map(partitions -> {
            Instant now = Instant.now();
            if (!partitions.isEmpty()) {
                lastAssigned.set(now);
            }
            Instant last = lastAssigned.get();
            return HealthCheckResponse.named("kafka-consumer-group-assignment")
                    .status(last != null && last.plus(GRACE).isAfter(now))
                    .withData("bhv.visits.v1 partitions", partitions.size())
                    .build();
        });
    }
}
