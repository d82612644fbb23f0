package se.regionorebrolan.bhv.e2e;

import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fuzz test: 1 200 generated malformed or hostile requests to each service (broken and deeply nested JSON, huge
 * strings and numbers, impossible dates, unicode tricks, SQL and JSON injection, wrong content types, hostile path
 * and query values), every one of them invalid. None may answer 5xx, every error is problem+json (but 413, which the
 * HTTP layer answers before any code of ours), and afterwards no table holds a row more and no topic a record more.
 */
class HostileInputIT {

    private static final int PER_SERVICE = 1_200;

    /** Values no field accepts as they stand in an otherwise invalid request. */
    private static final List<String> HOSTILE = List.of(
            "' OR '1'='1", "'; DROP TABLE visit; --", "\\u0000", "\u202Eevil\u202C", "\u200B\u200B", "\uFEFF",
            "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "<script>alert(1)</script>", "../../etc/passwd", "%00",
            "9".repeat(400), "-1", "1e400", "NaN", "Infinity", "2026-02-30", "99999-01-01", "0000-00-00", "",
            " ", "null", "true", "[]", "{}", "𝕏".repeat(50), "x".repeat(100_000));

    @Test
    void hostileRequestsAreRefusedAndChangeNothing(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.onFreePorts(root, data);
        try (LocalStack stack = LocalStack.start(settings, System.out)) {
            Map<String, Long> rowsBefore = rows(settings.postgresPort());
            long recordsBefore = records(stack.kafkaBootstrapServers());
            Random random = new Random(20260316);
            List<String> failures = new ArrayList<>();
            int sent = 0;
            for (String service : List.of("visit-service", "compensation-service", "reporting-service")) {
                String base = stack.baseUrl(service);
                List<String[]> endpoints = endpoints(service);
                for (int i = 0; i < PER_SERVICE; i++) {
                    String[] endpoint = endpoints.get(random.nextInt(endpoints.size()));
                    Response response = send(base, endpoint, random);
                    sent++;
                    int status = response.statusCode();
                    String type = String.valueOf(response.contentType());
                    if (status >= 500 || status < 400 && !endpoint[0].equals("GET")) {
                        failures.add(service + " " + endpoint[0] + " " + endpoint[1] + ": " + status);
                    } else if (status >= 400 && status != 413 && !type.startsWith("application/problem+json")) {
                        failures.add(service + " " + endpoint[0] + " " + endpoint[1] + ": " + status + " as " + type);
                    }
                }
            }
            assertTrue(sent >= 3 * 1_000);
            assertEquals(List.of(), failures.stream().distinct().limit(30).toList());
            largeBodiesAtOnceLeaveVisitServiceUp(stack);
            Thread.sleep(2_000); // anything that was published would be consumed and booked by now
            assertEquals(rowsBefore, rows(settings.postgresPort()), "no row stored");
            assertEquals(recordsBefore, records(stack.kafkaBootstrapServers()), "no record published");
        }
    }

    /**
     * Eight back-fills of 16 000 000 bytes each (an invalid visit padded with JSON whitespace) at the same moment: each
     * held whole would take visit-service's 160 MB heap several times over (before the body budget, it died of an
     * OutOfMemoryError and the supervisor started it again). Each is answered 200 or 429 with Retry-After, and it is
     * the same process that answers afterwards.
     */
    private static void largeBodiesAtOnceLeaveVisitServiceUp(LocalStack stack) throws Exception {
        long pid = stack.pid("visit-service");
        byte[] body = new byte[16_000_000];
        java.util.Arrays.fill(body, (byte) ' ');
        byte[] item = "[{\"sourceSystem\": \"cosmic\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(item, 0, body, 0, item.length);
        body[body.length - 1] = ']';
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stack.baseUrl("visit-service") + "/api/v1/visits/batch"))
                .header("Authorization", se.regionorebrolan.bhv.localstack.TestTokens.current())
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        List<String> statuses = new ArrayList<>();
        for (var answer : answers) {
            var response = answer.get(2, java.util.concurrent.TimeUnit.MINUTES);
            statuses.add(response.statusCode() + (response.statusCode() == 429
                    ? " after " + response.headers().firstValue("Retry-After").orElse("?") : ""));
        }
        assertTrue(statuses.stream().allMatch(s -> s.equals("200") || s.equals("429 after 5")), statuses.toString());
        assertTrue(statuses.contains("200"), statuses.toString());
        given().get(stack.baseUrl("visit-service") + "/q/health/ready").then().statusCode(200);
        assertEquals(pid, stack.pid("visit-service"), "visit-service was not restarted");
        assertEquals(0, stack.restarts("visit-service"), "visit-service was not restarted");
    }

    /** The endpoints to attack: method, path (with {id} for a hostile path value), whether it takes a body. */
    private static List<String[]> endpoints(String service) {
        return switch (service) {
            case "visit-service" -> List.of(new String[] {"POST", "/api/v1/visits"},
                    new String[] {"POST", "/api/v1/visits/batch"}, new String[] {"PUT", "/api/v1/visits/{id}"},
                    new String[] {"DELETE", "/api/v1/visits/{id}"}, new String[] {"GET", "/api/v1/visits/{id}"},
                    new String[] {"GET", "/api/v1/visits?centreId={id}&from={id}&page={id}"});
            case "compensation-service" -> List.of(new String[] {"PUT", "/api/v1/centres/{id}"},
                    new String[] {"POST", "/api/v1/rule-sets"}, new String[] {"PUT", "/api/v1/fixed-compensation/{id}"},
                    new String[] {"POST", "/api/v1/fixed-compensation/{id}/book"},
                    new String[] {"POST", "/api/v1/periods/{id}/close"},
                    new String[] {"GET", "/api/v1/payout-lines?after={id}&limit={id}"},
                    new String[] {"GET", "/api/v1/payouts?period={id}"},
                    new String[] {"GET", "/api/v1/reconciliation?period={id}"});
            default -> List.of(new String[] {"PUT", "/api/v1/grants/{id}"},
                    new String[] {"POST", "/api/v1/grants/{id}/costs"}, new String[] {"POST", "/api/v1/allocations"},
                    new String[] {"PUT", "/api/v1/reports/regional/{id}/centres/{id}/narrative"},
                    new String[] {"GET", "/api/v1/reports/socialstyrelsen/{id}?format={id}"},
                    new String[] {"GET", "/api/v1/audit?from={id}&limit={id}"});
        };
    }

    private static Response send(String base, String[] endpoint, Random random) {
        String path = endpoint[1];
        while (path.contains("{id}")) {
            path = path.replaceFirst("\\{id}", java.util.regex.Matcher.quoteReplacement(
                    java.net.URLEncoder.encode(pathValue(random), java.nio.charset.StandardCharsets.UTF_8)));
        }
        var request = given().urlEncodingEnabled(false);
        if (endpoint[0].equals("GET") || endpoint[0].equals("DELETE")) {
            return request.request(endpoint[0], base + path);
        }
        int kind = random.nextInt(8);
        String contentType = kind == 0 ? "text/plain" : kind == 1 ? "application/xml" : "application/json";
        return request.contentType(contentType).body(body(random)).request(endpoint[0], base + path);
    }

    /** A path or query value that names nothing that exists: hostile text, or a year/period far outside any data. */
    private static String pathValue(Random random) {
        return random.nextInt(3) == 0 ? "1066" : HOSTILE.get(random.nextInt(HOSTILE.size() - 1));
    }

    /** A body no endpoint accepts. */
    private static String body(Random random) {
        String value = HOSTILE.get(random.nextInt(HOSTILE.size()));
        String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return switch (random.nextInt(10)) {
            case 0 -> "[".repeat(5_000) + "]".repeat(5_000);
            case 1 -> "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000);
            case 2 -> "{\"sourceSystem\": " + quoted + ", \"childPersonnummer\": " + quoted + ", \"visitDate\": "
                    + quoted + "}";
            case 3 -> "{\"amountReceived\": " + quoted + ", \"projectCode\": " + quoted + ", \"amount\": " + quoted
                    + ", \"kind\": " + quoted + ", \"date\": " + quoted + "}";
            case 4 -> "{\"total\": 1e400, \"recipients\": [{\"code\": " + quoted + ", \"children0to5\": -1}]}";
            case 5 -> "{\"name\": " + quoted + ", \"compensationModel\": " + quoted + ", \"childCni\": " + quoted
                    + ", \"listedChildren0to5\": 99999999999999999999}";
            case 6 -> "{\"__proto__\": {\"admin\": true}, \"constructor\": " + quoted + "}";
            case 7 -> "{\"formAndContent\": " + quoted + ", \"plannedDevelopment\": 12, \"ruleSetId\": " + quoted + "}";
            case 8 -> "{" + quoted;
            default -> new String(randomBytes(random), java.nio.charset.StandardCharsets.ISO_8859_1);
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(2_000)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Rows per table of the three databases, but the audit trail (which records these very requests). */
    private static Map<String, Long> rows(int port) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (String db : List.of("visit", "compensation", "reporting")) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db,
                    "postgres", "trust")) {
                ResultSet tables = c.createStatement().executeQuery("SELECT tablename FROM pg_tables WHERE schemaname"
                        + " = 'public' AND tablename <> 'audit_event'");
                List<String> names = new ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString(1));
                }
                for (String table : names) {
                    ResultSet count = c.createStatement().executeQuery("SELECT count(*) FROM " + table);
                    count.next();
                    counts.put(db + "." + table, count.getLong(1));
                }
            }
        }
        return counts;
    }

    /** Records ever written to the contract's topics (the sum of their end offsets). */
    private static long records(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topics.Spec topic : Topics.ALL) {
                consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(topic.name(),
                        p.partition())));
            }
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
