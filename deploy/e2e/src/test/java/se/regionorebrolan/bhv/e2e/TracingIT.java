package se.regionorebrolan.bhv.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One trace from the EHR's request to the payout event: the caller's trace id goes through visit-service's outbox
 * onto the visit record's {@code traceparent} header, into compensation-service, onto the payout record's header,
 * and both services export their spans of that trace to an OTLP/HTTP collector (here a loopback stand-in that
 * keeps what it receives). The services' logs, in the production profile, are JSON lines.
 */
class TracingIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTraceIdCrossesKafkaFromVisitServiceToCompensationService(@TempDir Path data) throws Exception {
        List<byte[]> exported = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            exported.add(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.onFreePorts(root, data)
                .withOtlpEndpoint("http://127.0.0.1:" + collector.getAddress().getPort());
        byte[] traceBytes = new byte[16];
        new SecureRandom().nextBytes(traceBytes);
        String traceId = HexFormat.of().formatHex(traceBytes);
        try (LocalStack stack = LocalStack.start(settings, System.out)) {
            String visitId = given().contentType(ContentType.JSON)
                    .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                    .body(WalkingSkeletonIT.README_VISIT)
                    .post(stack.baseUrl("visit-service") + "/api/v1/visits")
                    .then().statusCode(201).extract().path("visitId");

            String visitTrace = traceParentOf(stack, Topics.VISITS, visitId);
            assertEquals(traceId, visitTrace.split("-")[1], "the visit record continues the request's trace");
            String payoutTrace = traceParentOf(stack, Topics.PAYOUTS, visitId);
            assertEquals(traceId, payoutTrace.split("-")[1], "the payout record continues the same trace");

            awaitSpans(exported, "visit-service", traceBytes);
            awaitSpans(exported, "compensation-service", traceBytes);
            awaitSpans(exported, "reporting-service", traceBytes);

            // the production profile logs one JSON object per line, once the application has started
            for (String service : List.of("visit-service", "compensation-service", "reporting-service")) {
                List<String> lines = Files.readAllLines(data.resolve("logs").resolve(service + ".log"));
                List<String> json = lines.stream().filter(l -> l.startsWith("{")).toList();
                assertTrue(json.stream().anyMatch(l -> l.contains("\"level\":\"INFO\"")), service + ": " + lines);
                for (String line : json) {
                    JsonNode entry = JSON.readTree(line);
                    assertTrue(entry.has("timestamp") && entry.has("level") && entry.has("message"), line);
                }
                String last = lines.get(lines.size() - 1);
                assertTrue(last.startsWith("{"), service + " still logs plain text: " + last);
            }
        } finally {
            collector.stop(0);
        }
    }

    /** The traceparent header of the first record on the topic whose value names the visit. */
    private static String traceParentOf(LocalStack stack, String topic, String visitId) {
        List<ConsumerRecord<String, String>> records = TopicProbe.read(stack.kafkaBootstrapServers(), topic,
                rs -> rs.stream().anyMatch(r -> r.value().contains(visitId)), Duration.ofSeconds(30));
        ConsumerRecord<String, String> record = records.stream().filter(r -> r.value().contains(visitId))
                .findFirst().orElseThrow(() -> new AssertionError("no record for visit " + visitId + " on " + topic));
        Header header = Optional.ofNullable(record.headers().lastHeader("traceparent"))
                .orElseThrow(() -> new AssertionError("the record on " + topic + " has no traceparent header"));
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Waits until the collector received an export from the service that holds a span of the trace. */
    private static void awaitSpans(List<byte[]> exported, String service, byte[] traceId) throws InterruptedException {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (exported.stream().anyMatch(body -> contains(body, name) && contains(body, traceId))) {
                return;
            }
            Thread.sleep(100);
        }
        assertTrue(false, service + " exported no span of trace " + HexFormat.of().formatHex(traceId)
                + " (" + exported.size() + " exports received)");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
