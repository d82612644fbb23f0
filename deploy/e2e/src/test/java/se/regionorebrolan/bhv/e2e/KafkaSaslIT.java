package se.regionorebrolan.bhv.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.localstack.KafkaBroker;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.Tokens;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka SASL/SCRAM over TLS through configuration alone: the production jar of reporting-service, given only the
 * environment of the README ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL}, {@code KAFKA_SASL_MECHANISM},
 * {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION} with the broker's CA as PEM), joins its
 * consumer group on a broker's SCRAM-SHA-512 TLS listener (certificate for 127.0.0.1, verified) and is ready; with
 * a wrong password it is refused and never ready.
 */
class KafkaSaslIT {

    @Test
    void aServiceConsumesThroughScramAndIsRefusedWithAWrongPassword(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        int saslPort = freePort();
        Path[] broker = PostgresTlsIT.certificate(data, "kafka");
        ca = broker[0];
        try (PostgresServer postgres = PostgresServer.start(data.resolve("pg"), freePort(), false,
                data.resolve("postgres.log"));
             KafkaBroker kafka = KafkaBroker.startWithScram(data.resolve("kafka"), freePort(), freePort(), saslPort,
                     "reporting-service", "s3cret-scram", broker[2], data.resolve("kafka.log"))) {
            kafka.createContractTopics();
            postgres.createDatabase("reporting");

            Path goodLog = data.resolve("good.log");
            Process good = start(root, postgres.port(), saslPort, "s3cret-scram", goodLog);
            try {
                assertTrue(ready(good, 120), "ready through SASL/SCRAM:\n" + tail(goodLog));
            } finally {
                good.destroy();
                good.waitFor(30, TimeUnit.SECONDS);
            }
            Path badLog = data.resolve("bad.log");
            Process bad = start(root, postgres.port(), saslPort, "wrong-password", badLog);
            try {
                assertTrue(!ready(bad, 30), "never ready with a wrong password");
                assertTrue(Files.readString(badLog).contains("Authentication failed"), tail(badLog));
            } finally {
                bad.destroy();
                bad.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private int port;
    private Path ca;

    private Process start(Path root, int postgresPort, int saslPort, String password, Path log) throws Exception {
        port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", root.resolve("reporting-service/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_HTTP_HOST", "127.0.0.1", "DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(postgresPort),
                "DB_USER", PostgresServer.USER, "DB_PASSWORD", "trust", "LOG_JSON", "false",
                "JWT_ISSUER", Tokens.LOCAL_ISSUER, "JWT_PUBLIC_KEY_LOCATION",
                Tokens.in(log.getParent().resolve("keys")).publicKey().toString()));
        builder.environment().put("JWT_AUDIENCE", Tokens.AUDIENCE);
        builder.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + saslPort,
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", ca.toString(),
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"reporting-service\" password=\"" + password + "\";"));
        return builder.start();
    }

    /** Whether {@code /q/health/ready} answers 200 within the time (the consumers have partitions by then). */
    private boolean ready(Process process, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    assertEquals(200, response.statusCode());
                    return true;
                }
            } catch (java.io.IOException notListeningYet) {
                // starting
            }
            Thread.sleep(500);
        }
        return false;
    }

    private static String tail(Path log) throws Exception {
        String text = Files.exists(log) ? Files.readString(log) : "";
        return text.substring(Math.max(0, text.length() - 4000));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
