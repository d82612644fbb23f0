package se.regionorebrolan.bhv.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.localstack.KafkaBroker;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.Tokens;

import java.io.FileInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS to PostgreSQL through configuration alone: a server with a certificate for 127.0.0.1, and
 * reporting-service's production jar with {@code DB_SSL_MODE=verify-full} and that certificate as its CA: it
 * migrates (JDBC) and is ready (reactive client). With another CA it refuses the server and does not start.
 */
class PostgresTlsIT {

    @Test
    void aServiceVerifiesTheServerAndRefusesAnUnknownOne(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        Path[] server = certificate(data, "server");
        Path[] stranger = certificate(data, "stranger");
        try (PostgresServer postgres = PostgresServer.startWithTls(freePort(), server[0], server[1],
                data.resolve("postgres.log"));
             KafkaBroker kafka = KafkaBroker.start(data.resolve("kafka"), freePort(), freePort(),
                     data.resolve("kafka.log"))) {
            kafka.createContractTopics();
            postgres.createDatabase("reporting");

            int port = freePort();
            Process good = start(root, port, postgres.port(), kafka.bootstrapServers(), server[0], data, "good.log");
            try {
                assertTrue(ready(good, port, 120), "ready over verified TLS:\n" + Files.readString(data.resolve("good.log")));
            } finally {
                good.destroy();
                good.waitFor(30, TimeUnit.SECONDS);
            }
            int other = freePort();
            Process bad = start(root, other, postgres.port(), kafka.bootstrapServers(), stranger[0], data, "bad.log");
            assertTrue(bad.waitFor(120, TimeUnit.SECONDS), "gives up by itself");
            assertNotEquals(0, bad.exitValue());
            String log = Files.readString(data.resolve("bad.log"));
            assertFalse(log.contains("Installed features"), "never started");
            assertTrue(log.contains("PKIX") || log.contains("certificate") || log.contains("SSL"), log);
        }
    }

    private static Process start(Path root, int port, int postgresPort, String bootstrap, Path ca, Path data,
                                 String logName) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", root.resolve("reporting-service/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(data.resolve(logName).toFile());
        builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_HTTP_HOST", "127.0.0.1", "DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(postgresPort),
                "DB_USER", PostgresServer.USER, "DB_PASSWORD", "trust", "LOG_JSON", "false",
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "JWT_ISSUER", Tokens.LOCAL_ISSUER,
                "JWT_PUBLIC_KEY_LOCATION", Tokens.in(data.resolve("keys")).publicKey().toString()));
        builder.environment().put("JWT_AUDIENCE", Tokens.AUDIENCE);
        builder.environment().putAll(Map.of("DB_SSL_MODE", "verify-full", "DB_SSL_TRUST_CA", "true",
                "DB_SSL_CA_FILE", ca.toString()));
        return builder.start();
    }

    /**
     * A self-signed certificate for 127.0.0.1 and its key, as PEM files, and the PKCS12 store they came from
     * (password "changeit"; made with the JDK's keytool).
     */
    static Path[] certificate(Path dir, String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit"));
        Path cert = dir.resolve(name + ".crt");
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-file", cert.toString()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        Key key = keys.getKey(name, "changeit".toCharArray());
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {cert, keyFile, store};
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }

    private static boolean ready(Process process, int port, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (java.io.IOException starting) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
