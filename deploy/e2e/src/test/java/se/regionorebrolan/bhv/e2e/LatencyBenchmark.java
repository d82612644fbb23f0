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

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;

/**
 * Not a test: a benchmark, run on demand (see README, "Figures"). Starts the whole local stack and measures, at
 * light load (one visit every 50 ms), the time from the 201 of {@code POST /api/v1/visits} to the event arriving
 * at a consumer of {@code bhv.visits.v1}, and to the payout line in the finance feed; then visits/s and latency
 * with 16 concurrent clients, and visits/s of batches of 1 000, first with the whole system running, then with
 * visit-service alone (after a warm-up). Prints its figures; asserts nothing.
 */
class LatencyBenchmark {

    static final int VISITS = 200;
    static final int CLIENTS = 16;
    static final int WHOLE_SYSTEM_PER_CLIENT = 150;
    static final int WHOLE_SYSTEM_BATCHES = 3;
    static final int PER_CLIENT = Integer.getInteger("bench.per-client", 800);
    static final int WARM_UP_PER_CLIENT = Integer.getInteger("bench.warm-up-per-client", 1500);
    static final int BATCHES = Integer.getInteger("bench.batches", 20);
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
            if (!Boolean.getBoolean("bench.alone")) { // -Dbench.alone=true: only visit-service alone
                wholeSystem(visits, feed, arrived);
            }
            // visit-service alone on the machine (what the consumers' share of 2 cores costs), after a warm-up that
            // is not counted: on 2 cores the JIT needs about a minute of load to compile the paths being measured
            stack.kill("compensation-service");
            stack.kill("reporting-service");
            batches(visits, arrived, "W", "warm-up", BATCHES);
            concurrent(visits, arrived, "W", "warm-up", WARM_UP_PER_CLIENT);
            concurrent(visits, arrived, "B", "visit-service alone", PER_CLIENT);
            batches(visits, arrived, "B", "visit-service alone", BATCHES);
            running.set(false);
            consumer.join();
        }
    }

    /** Light-load latency to Kafka and to the finance feed, and throughput with all consumers running. */
    private static void wholeSystem(String visits, String feed, Map<String, Long> arrived) throws Exception {
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

        concurrent(visits, arrived, "A", "whole system", WHOLE_SYSTEM_PER_CLIENT);
        batches(visits, arrived, "A", "whole system", WHOLE_SYSTEM_BATCHES);
    }

    /** 16 clients posting single visits as fast as they can: visits/s, and request start to event consumed. */
    private static void concurrent(String visits, Map<String, Long> arrived, String prefix, String label,
                                   int perClient) throws Exception {
        URI uri = URI.create(visits);
        Map<String, Long> started = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        long begin = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try (KeepAliveClient http = new KeepAliveClient(uri)) {
                    for (int i = 0; i < perClient; i++) {
                        String body = WalkingSkeletonIT.README_VISIT.replace("ENC-2026-000123",
                                prefix + "C" + client + "-" + i);
                        long start = System.nanoTime();
                        String answer = http.post(uri.getPath(), TestTokens.current(), body, 201);
                        String id = answer.substring(answer.indexOf("\"visitId\":\"") + 11);
                        started.put(id.substring(0, 36), start);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
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

    /**
     * Batches of 1 000 visits, one after the other from one client: visits/s from the first request until the
     * last of their events is consumed from {@code bhv.visits.v1}.
     */
    private static void batches(String visits, Map<String, Long> arrived, String prefix, String label, int count)
            throws Exception {
        URI uri = URI.create(visits + "/batch");
        Map<String, Long> started = new HashMap<>();
        Pattern visitId = Pattern.compile("\"visitId\":\"([0-9a-f-]{36})\"");
        long begin = System.nanoTime();
        try (KeepAliveClient http = new KeepAliveClient(uri)) {
            for (int b = 0; b < count; b++) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < BATCH; i++) {
                    batch.append(i == 0 ? "" : ",").append(WalkingSkeletonIT.README_VISIT
                            .replace("ENC-2026-000123", prefix + "B" + b + "-" + i));
                }
                long sent = System.nanoTime();
                Matcher answered = visitId.matcher(http.post(uri.getPath(), TestTokens.current(),
                        batch.append("]").toString(), 200));
                while (answered.find()) {
                    started.put(answered.group(1), sent);
                }
            }
        }
        double accepted = (System.nanoTime() - begin) / 1e9;
        while (!arrived.keySet().containsAll(started.keySet())) {
            Thread.onSpinWait();
        }
        long last = started.keySet().stream().mapToLong(arrived::get).max().orElseThrow();
        double seconds = (last - begin) / 1e9;
        System.out.printf("BENCH %s: %d batches of %d visits (%d recorded): all answered after %.1f s, all events "
                + "consumed after %.1f s: %.0f visits/s%n", label, count, BATCH, started.size(), accepted, seconds,
                started.size() / seconds);
        report(label + ": batch request sent -> each of its events consumed from bhv.visits.v1",
                started.entrySet().stream().map(e -> (arrived.get(e.getKey()) - e.getValue()) / 1_000).toList());
    }

    /**
     * The benchmark's client: HTTP/1.1 over one keep-alive connection, as an EHR integration's connection pool
     * would hold it, written for a small footprint: the client shares the two cores with what it measures.
     */
    static final class KeepAliveClient implements AutoCloseable {

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;
        /** The bytes read and not yet taken: {@code buffer[position..limit)}; read byte by byte it cost 0.05 ms. */
        private byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;

        KeepAliveClient(URI uri) throws IOException {
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            in = socket.getInputStream();
            host = uri.getHost() + ":" + uri.getPort();
        }

        /** POSTs JSON; answers the body of the expected status, fails on any other. */
        String post(String path, String authorization, String json, int expected) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + authorization + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            return answer(expected);
        }

        /** GETs a path (with its query); answers the body of the expected status, fails on any other. */
        String get(String pathAndQuery, String authorization, int expected) throws IOException {
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return answer(expected);
        }

        private String answer(int expected) throws IOException {
            out.flush();
            String status = line();
            int length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().strip(), 16); size > 0;
                     size = Integer.parseInt(line().strip(), 16)) {
                    take(answer, size);
                    line();
                }
                line();
            } else {
                take(answer, length);
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            if (!status.startsWith("HTTP/1.1 " + expected)) {
                throw new IllegalStateException(status + ": " + text);
            }
            return text;
        }

        /** The next line, without its CR LF. */
        private String line() throws IOException {
            int from = position;
            for (int at = from; ; at++) {
                if (at == limit) {
                    fill();
                    at -= from - position; // the buffer may have moved its bytes to the front
                    from = position;
                }
                if (buffer[at] == '\n') {
                    int end = at > from && buffer[at - 1] == '\r' ? at - 1 : at;
                    position = at + 1;
                    return new String(buffer, from, end - from, StandardCharsets.ISO_8859_1);
                }
            }
        }

        private void take(ByteArrayOutputStream into, int count) throws IOException {
            while (count > 0) {
                if (position == limit) {
                    fill();
                }
                int n = Math.min(count, limit - position);
                into.write(buffer, position, n);
                position += n;
                count -= n;
            }
        }

        /** Reads more bytes after those not yet taken (moved to the front; the buffer grows when they fill it). */
        private void fill() throws IOException {
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                position = 0;
            }
            if (limit == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                throw new IOException("connection closed");
            }
            limit += n;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
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
