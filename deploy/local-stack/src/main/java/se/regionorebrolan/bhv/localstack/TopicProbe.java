package se.regionorebrolan.bhv.localstack;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/** Reads and writes topics directly, for tests that check what really goes over Kafka. */
public final class TopicProbe {

    private TopicProbe() {
    }

    /**
     * All records of the topic, read until {@code done} holds for them or the timeout passes; the caller
     * asserts on what came back.
     */
    public static List<ConsumerRecord<String, String>> read(String bootstrapServers, String topic,
                                                            Predicate<List<ConsumerRecord<String, String>>> done,
                                                            Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (done.test(records)) {
                    break;
                }
            }
        }
        return records;
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    public static void send(String bootstrapServers, String topic, String key, String value) {
        sendAll(bootstrapServers, topic, key, Collections.singletonList(value));
    }

    /** Sends the values under one key (so to one partition, in order) and waits for the broker's acknowledgement. */
    public static void sendAll(String bootstrapServers, String topic, String key, List<String> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<?>> sent = new ArrayList<>();
            for (String value : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, key, value)));
            }
            for (Future<?> acknowledged : sent) {
                acknowledged.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }
}
