package se.regionorebrolan.bhv.kit;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ready only while each consumer channel named in {@code bhv.readiness.consumer-channels} has partitions assigned
 * in its group. A rebalance takes the assignment away for a moment: up to {@link #GRACE} without one keeps the
 * replica ready, so that the API does not blink with every rebalance. A consumer that cannot be asked (the broker
 * away, the consumer between two sessions) counts as holding none: DOWN after the grace, UP again by itself once it
 * has its partitions back. (The broker connection and the database have readiness checks of their own.)
 */
@Readiness
@ApplicationScoped
public class ConsumerGroupReadiness implements AsyncHealthCheck {

    static final Duration GRACE = Duration.ofSeconds(30);

    private final KafkaClientService kafka;
    private final List<String> channels;
    private final Map<String, Instant> lastAssigned = new ConcurrentHashMap<>();

    public ConsumerGroupReadiness(KafkaClientService kafka,
                                  @ConfigProperty(name = "bhv.readiness.consumer-channels") Optional<List<String>> channels) {
        this.kafka = kafka;
        this.channels = channels.orElse(List.of());
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-consumer-group-assignment").up();
        if (channels.isEmpty()) {
            return Uni.createFrom().item(response.build());
        }
        List<Uni<Void>> checks = new ArrayList<>();
        for (String channel : channels) {
            checks.add(partitions(channel).invoke(count -> {
                Instant now = Instant.now();
                if (count > 0) {
                    lastAssigned.put(channel, now);
                }
                Instant last = lastAssigned.get(channel);
                if (last == null || last.plus(GRACE).isBefore(now)) {
                    response.down();
                }
                response.withData(channel + " partitions", count);
            }).replaceWithVoid());
        }
        return Uni.join().all(checks).andFailFast().map(done -> response.build());
    }

    /** The partitions the channel's consumers hold (with concurrency N: channel$1 .. channel$N), 0 when unknown. */
    private Uni<Integer> partitions(String channel) {
        List<Uni<Integer>> assigned = kafka.getConsumerChannels().stream()
                .filter(c -> c.equals(channel) || c.startsWith(channel + "$"))
                .map(c -> kafka.getConsumer(c).getAssignments().map(Set::size)
                        .ifNoItem().after(Duration.ofSeconds(2)).recoverWithItem(0)
                        .onFailure().recoverWithItem(0))
                .toList();
        return assigned.isEmpty() ? Uni.createFrom().item(0)
                : Uni.join().all(assigned).andFailFast().map(sizes -> sizes.stream().mapToInt(Integer::intValue).sum());
    }
}
