package se.regionorebrolan.bhv.reporting.messaging;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ready only once all three consumers (visits, payouts, centres) have partitions assigned in the group; up to 30 s without, as
 * in a rebalance, keeps the replica ready so that the report API does not blink. The broker connection and the
 * database have readiness checks of their own.
 */
@Readiness
@ApplicationScoped
public class ConsumerAssignmentCheck implements AsyncHealthCheck {

    private static final Map<String, String> CHANNELS = Map.of("visit-events", "bhv.visits.v1",
            "payout-events", "bhv.payouts.v1", "centre-events", "bhv.centres.v1");

    private final KafkaClientService kafka;
    private final Map<String, Instant> lastAssigned = new ConcurrentHashMap<>();

    public ConsumerAssignmentCheck(KafkaClientService kafka) {
        this.kafka = kafka;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("kafka-consumer-group-assignment").up();
        return Uni.join().all(CHANNELS.keySet().stream().map(channel -> kafka.getConsumer(channel).getAssignments()
                        .invoke(partitions -> {
                            Instant now = Instant.now();
                            if (!partitions.isEmpty()) {
                                lastAssigned.put(channel, now);
                            }
                            Instant last = lastAssigned.get(channel);
                            if (last == null || last.plusSeconds(30).isBefore(now)) {
                                response.down();
                            }
                            response.withData(CHANNELS.get(channel) + " partitions", partitions.size());
                        })).toList())
                .andFailFast().map(done -> response.build());
    }
}
