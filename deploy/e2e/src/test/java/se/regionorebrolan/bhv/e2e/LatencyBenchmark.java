package se.regionorebrolan.bhv.e2e;

import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.TestTokens;
import se.regionorebrolan.bhv.localstack.StackSettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;

/**
 * Not a test: a benchmark, run on demand (see README, "Figures"). Starts the whole local stack and measures, at
 * light load (one visit every 50 ms), the time from the 201 of {@code POST /api/v1/visits} to the event arriving
 * at a consumer of {@code bhv.visits.v1}, and to the payout line in the finance feed; then visits/s and latency
 * with 16 concurrent clients; then visits/s of batches of 1 000. Prints its figures; asserts nothing.
 */
class LatencyBenchmark {

    static final int VISITS = 200;
    static final int CLIENTS = 16;
    static final int PER_CLIENT = 150;
    static final int BATCHES = 3;
    static final int BATCH = 1_000;

    @Test
    void measure(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        try (LocalStack stack = LocalStack.start(StackSettings.onFreePorts(root, data), System.out)) {
            String visits = stack.baseUrl("visit-service") + "/api/v1/visits";
            String feed = stack.baseUrl("compensation-service") + "/api/v1/payout-lines";
            Map<String, Long> arrived = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread consumer = new Thread(() -> consume(stack.kafkaBootstrapServers(), arrived, running));
            consumer.start();
            Thread.sleep(2000); // the consumer has its partitions

            for (int i = 0; i < 20; i++) { // warm-up, not measured
                post(visits, "WARM-" + i);
            }
            List<Long> toKafka = new ArrayList<>();
            List<Long> toFeed = new ArrayList<>();
            long cursor = lastLine(feed);
            for (int i = 0; i < VISITS; i++) {
                long start = System.nanoTime();
                String id = post(visits, "BENCH-" + i);
                long answered = System.nanoTime();
                while (!arrived.containsKey(id)) {
                    Thread.onSpinWait();
                }
                toKafka.add((arrived.get(id) - answered) / 1_000);
                while (lastLine(feed) <= cursor) {
                    Thread.sleep(2);
                }
                cursor = lastLine(feed);
                toFeed.add((System.nanoTime() - start) / 1_000);
                Thread.sleep(50);
            }
            report("201 -> event consumed from bhv.visits.v1", toKafka);
            report("POST -> payout line in the finance feed", toFeed);

            concurrent(visits, arrived, "A", "whole system");
            batches(visits, "A", "whole system");
            // the same with visit-service alone on the machine: what the consumers' share of 2 cores costs
            stack.kill("compensation-service");
            stack.kill("reporting-service");
            concurrent(visits, arrived, "B", "visit-service alone");
            batches(visits, "B", "visit-service alone");
            running.set(false);
            consumer.join();
        }
    }

    /** 16 clients posting single visits as fast as they can: visits/s, and request start to event consumed. */
    private static void concurrent(String visits, Map<String, Long> arrived, String prefix, String label)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(CLIENTS)).build();
        Map<String, Long> started = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        long begin = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < PER_CLIENT; i++) {
                    String body = WalkingSkeletonIT.README_VISIT.replace("ENC-2026-000123", prefix + "C" + client + "-" + i);
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(visits))
                                .header("Content-Type", "application/json")
                                .header("Authorization", TestTokens.current())
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        String id = response.body().substring(response.body().indexOf("\"visitId\":\"") + 11);
                        started.put(id.substring(0, 36), start);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            clients.add(thread);
            thread.start();
        }
        for (Thread thread : clients) {
            thread.join();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        while (!arrived.keySet().containsAll(started.keySet())) {
            Thread.sleep(10);
        }
        List<Long> latencies = started.entrySet().stream().map(e -> (arrived.get(e.getKey()) - e.getValue()) / 1_000)
                .toList();
        System.out.printf("BENCH %s: %d clients, %d single POSTs: %.0f visits/s%n", label, CLIENTS, started.size(),
                started.size() / seconds);
        report(label + ": request -> event consumed from bhv.visits.v1, 16 clients", latencies);
    }

    /** Batches of 1 000 visits, one after the other: visits/s. */
    private static void batches(String visits, String prefix, String label) {
        long begin = System.nanoTime();
        for (int b = 0; b < BATCHES; b++) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < BATCH; i++) {
                batch.append(i == 0 ? "" : ",")
                        .append(WalkingSkeletonIT.README_VISIT.replace("ENC-2026-000123", prefix + "B" + b + "-" + i));
            }
            given().contentType(ContentType.JSON).body(batch.append("]").toString()).post(visits + "/batch")
                    .then().statusCode(200);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        System.out.printf("BENCH %s: %d batches of %d visits: %.1f s, %.0f visits/s%n", label, BATCHES, BATCH, seconds,
                BATCHES * BATCH / seconds);
    }

    private static String post(String url, String sourceId) {
        return given().contentType(ContentType.JSON)
                .body(WalkingSkeletonIT.README_VISIT.replace("ENC-2026-000123", sourceId))
                .post(url).then().statusCode(201).extract().path("visitId");
    }

    private static long lastLine(String feed) {
        return Long.parseLong(given().get(feed + "?after=0&limit=1000").then().extract().path("nextCursor"));
    }

    private static void consume(String bootstrap, Map<String, Long> arrived, AtomicBoolean running) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.VISITS).stream()
                    .map(p -> new TopicPartition(Topics.VISITS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (running.get()) {
                consumer.poll(Duration.ofMillis(20)).forEach(r -> arrived.putIfAbsent(r.key(), System.nanoTime()));
            }
        }
    }

    private static void report(String what, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.printf("BENCH %s over %d visits: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", what,
                sorted.size(), at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static double at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1000.0;
    }
}
