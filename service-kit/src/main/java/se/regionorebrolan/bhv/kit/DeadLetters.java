package se.regionorebrolan.bhv.kit;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.events.DeadLetter;
import se.regionorebrolan.bhv.events.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The consumers' dead-letter policy (deploy/README.md, "BhvDeadLetters"): only a record that breaks the contract or
 * cannot be processed goes to a dead-letter topic, never one that met an outage (the consumers retry those until
 * they succeed). Each consumer group has its own dead-letter topic per topic it reads,
 * {@code <topic>.<group>.dlq}, so that a replay re-processes a record for the group that failed it and for no
 * other. {@link #replay} processes a group's dead letters again after the cause was fixed.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final Duration HANDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Letters sent at once: half of what the emitter buffers before its downstream asks for more. */
    private static final int IN_FLIGHT = 64;

    /** A record that goes to a dead-letter topic, with where it came from and why. */
    public record Letter(String sourceTopic, int partition, Long offset, String key, String value, String reason) {

        /** A record consumed as text or as bytes (UTF-8; bytes that are not are kept with replacement characters). */
        public static Letter of(KafkaRecord<String, ?> record, String reason) {
            Object payload = record.getPayload();
            return new Letter(record.getTopic(), record.getPartition(),
                    record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getOffset()).orElse(null),
                    record.getKey(), payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                    : (String) payload, reason);
        }
    }

    /** What a replay did: records read, processed now, and sent back to the dead-letter topic with a new reason. */
    public record Replay(String deadLetterTopic, int read, int processed, int deadLetteredAgain) {
    }

    /** A replay of this service is already running. */
    public static final class ReplayRunningException extends IllegalStateException {
        ReplayRunningException() {
            super("a replay is already running");
        }
    }

    private final MutinyEmitter<String> emitter;
    private final MeterRegistry registry;
    private final Map<String, Object> kafkaConfig;
    private final String group;
    private final AtomicBoolean replaying = new AtomicBoolean();

    public DeadLetters(@Channel("dead-letters") MutinyEmitter<String> emitter, MeterRegistry registry,
                       @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                       @ConfigProperty(name = "quarkus.application.name") String group) {
        this.emitter = emitter;
        this.registry = registry;
        this.kafkaConfig = kafkaConfig;
        this.group = group;
    }

    /** The dead-letter topic of this group for {@code topic}. */
    public String topic(String sourceTopic) {
        return topic(sourceTopic, group);
    }

    public static String topic(String sourceTopic, String group) {
        return Topics.deadLetters(sourceTopic, group);
    }

    /** The records refused go to their dead-letter topic with the reason; completes when Kafka has them all. */
    public Uni<Void> send(List<? extends KafkaRecord<String, ?>> records, List<RecordOutcome> outcomes) {
        List<Letter> letters = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (outcomes.get(i) instanceof RecordOutcome.Refused refused) {
                letters.add(Letter.of(records.get(i), refused.reason()));
            }
        }
        return send(letters);
    }

    /**
     * Sends the letters, at most {@link #IN_FLIGHT} at a time; completes when Kafka has them all. Sent all at once,
     * a poll batch of more refused records than the emitter buffers (SmallRye's default, 128) failed on the 129th
     * ("Insufficient downstream requests to emit item"), the consumer's channel stopped, and the same batch failed
     * again after every restart: payouts stopped for good behind one batch of bad records.
     */
    public Uni<Void> send(List<Letter> letters) {
        return Multi.createFrom().iterable(letters)
                .onItem().transformToUni(this::sendOne).merge(IN_FLIGHT)
                .onItem().ignoreAsUni();
    }

    private Uni<Void> sendOne(Letter letter) {
        String topic = topic(letter.sourceTopic());
        RecordHeaders headers = new RecordHeaders();
        DeadLetter.headers(letter.reason(), letter.sourceTopic(), letter.partition(), letter.offset())
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        registry.counter("bhv.dead.letters", "topic", topic).increment();
        LOG.warnf("record %s/%d@%s dead-lettered to %s: %s", letter.sourceTopic(), letter.partition(),
                letter.offset(), topic, letter.reason());
        return emitter.sendMessage(Message.of(letter.value()).addMetadata(OutgoingKafkaRecordMetadata
                .<String>builder().withTopic(topic).withKey(letter.key()).withHeaders(headers).build()));
    }

    /**
     * Processes this group's dead letters of the handler's topic again, from where the last replay stopped to the
     * end as it is now (group {@code <group>-dlq-replay} keeps the position). A record that still fails goes back to
     * the dead-letter topic with its new reason, after the end this replay reads to. Blocking: call it on a worker.
     */
    public Replay replay(DeadLetterHandler handler) {
        if (!replaying.compareAndSet(false, true)) {
            throw new ReplayRunningException();
        }
        String deadLetterTopic = topic(handler.topic());
        int read = 0;
        int processed = 0;
        int again = 0;
        try (KafkaConsumer<String, String> consumer = replayConsumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(30)) < end.get(tp))) {
                List<ConsumerRecord<String, String>> batch = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(tp)) {
                        batch.add(record);
                        positions.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                if (batch.isEmpty()) {
                    continue;
                }
                List<RecordOutcome> outcomes = handler.handle(batch.stream().map(ConsumerRecord::value).toList())
                        .await().atMost(HANDLE_TIMEOUT);
                List<Letter> failed = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    ConsumerRecord<String, String> record = batch.get(i);
                    if (outcomes.get(i) instanceof RecordOutcome.Refused refused) {
                        failed.add(new Letter(handler.topic(), (int) header(record, DeadLetter.PARTITION),
                                header(record, DeadLetter.OFFSET), record.key(), record.value(), refused.reason()));
                    } else {
                        processed++;
                    }
                }
                send(failed).await().atMost(Duration.ofMinutes(1));
                again += failed.size();
                read += batch.size();
                consumer.commitSync(positions);
            }
            return new Replay(deadLetterTopic, read, processed, again);
        } finally {
            replaying.set(false);
        }
    }

    /** How many dead letters of the handler's topic wait for a replay. Blocking. */
    public long waiting(DeadLetterHandler handler) {
        String deadLetterTopic = topic(handler.topic());
        try (KafkaConsumer<String, String> consumer = replayConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions),
                    Duration.ofSeconds(30));
            long waiting = 0;
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata at = committed.get(tp);
                long from = at != null ? at.offset()
                        : consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
                waiting += end.get(tp) - from;
            }
            return waiting;
        }
    }

    private KafkaConsumer<String, String> replayConsumer() {
        Properties properties = new Properties();
        kafkaConfig.forEach((key, value) -> {
            if (value != null && !key.startsWith("topic") && !key.contains("deserializer")) {
                properties.put(key, value);
            }
        });
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-dlq-replay");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-dlq-replay");
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    /** A numeric header of the first dead-lettering (where the record came from), -1 when missing. */
    private static long header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        try {
            return header == null ? -1 : Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
