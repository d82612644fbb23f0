package se.regionorebrolan.bhv.compensation.messaging;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
    private static final String CHANNEL = "visit-events";

    private final KafkaClientService kafka;
    private final AtomicReference<Instant> lastAssigned = new AtomicReference<>();

    public ConsumerAssignmentCheck(KafkaClientService kafka) {
        this.kafka = kafka;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        // with consumer concurrency N the channel runs N consumers, named visit-events$1 .. $N
        List<Uni<Integer>> assigned = kafka.getConsumerChannels().stream()
                .filter(channel -> channel.equals(CHANNEL) || channel.startsWith(CHANNEL + "$"))
                .map(channel -> kafka.getConsumer(channel).getAssignments().map(Set::size))
                .toList();
        Uni<Integer> partitions = assigned.isEmpty() ? Uni.createFrom().item(0)
                : Uni.join().all(assigned).andFailFast().map(sizes -> sizes.stream().mapToInt(Integer::intValue).sum());
        return partitions.map(count -> {
            Instant now = Instant.now();
            if (count > 0) {
                lastAssigned.set(now);
            }
            Instant last = lastAssigned.get();
            return HealthCheckResponse.named("kafka-consumer-group-assignment")
                    .status(last != null && last.plus(GRACE).isAfter(now))
                    .withData("bhv.visits.v1 partitions", count)
                    .build();
        });
    }
}
