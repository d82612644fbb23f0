package se.regionorebrolan.bhv.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.Tokens;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * As in production: each service's migrations run as the database's owner role and the service as its runtime role
 * (DB_OWNER_USER / DB_USER). The service works and audits its requests, and the runtime role can append to the audit
 * trail and read it, but neither update, delete nor truncate its rows, nor disable its triggers or alter the table.
 */
class AuditRoleIT {

    @Test
    void theRuntimeRoleOnlyAppendsToTheAuditTrail(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        Tokens tokens = Tokens.in(data.resolve("keys"));
        try (PostgresServer postgres = PostgresServer.start(data.resolve("pg"), freePort(), false,
                data.resolve("postgres.log"))) {
            Map<String, String> databases = Map.of("visit-service", "visit", "compensation-service", "compensation",
                    "reporting-service", "reporting");
            try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresServer.USER,
                    "trust"); Statement sql = admin.createStatement()) {
                for (String db : databases.values()) {
                    sql.execute("CREATE ROLE " + db + "_owner LOGIN");
                    sql.execute("CREATE ROLE " + db + "_runtime LOGIN");
                    sql.execute("CREATE DATABASE " + db + " OWNER " + db + "_owner");
                }
            }
            for (Map.Entry<String, String> service : databases.entrySet()) {
                String db = service.getValue();
                int port = freePort();
                Path log = data.resolve(service.getKey() + ".log");
                ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-jar", root.resolve(service.getKey() + "/target/quarkus-app/quarkus-run.jar")
                        .toString()).redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                        "QUARKUS_HTTP_HOST", "127.0.0.1", "DB_HOST", "127.0.0.1",
                        "DB_PORT", Integer.toString(postgres.port()), "DB_NAME", db, "DB_USER", db + "_runtime",
                        "DB_PASSWORD", "trust", "DB_OWNER_USER", db + "_owner", "LOG_JSON", "false"));
                builder.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                        "JWT_ISSUER", Tokens.LOCAL_ISSUER, "JWT_AUDIENCE", Tokens.AUDIENCE,
                        "JWT_PUBLIC_KEY_LOCATION", tokens.publicKey().toString(),
                        "PSEUDONYM_KEY", "an-audit-role-test-key-of-length"));
                Process process = builder.start();
                try {
                    String path = service.getKey().equals("visit-service") ? "/api/v1/audit" : "/api/v1/audit?limit=5";
                    int status = awaitAnswer(process, port, path, tokens.mint("auditor", List.of("bhv-admin"), null));
                    assertEquals(200, status, service.getKey() + " answers as its runtime role:\n" + Files.readString(log));
                    // the audit record of that request is written by the runtime role
                    assertRuntimeRoleOnlyAppends(postgres, db);
                } finally {
                    process.destroy();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void assertRuntimeRoleOnlyAppends(PostgresServer postgres, String db) throws SQLException {
        try (Connection runtime = DriverManager.getConnection(postgres.jdbcUrl(db), db + "_runtime", "trust")) {
            try (Statement sql = runtime.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT count(*) FROM audit_event WHERE actor = 'auditor'")) {
                rows.next();
                assertTrue(rows.getLong(1) >= 1, db + ": the service audited the request");
            }
            for (String forbidden : List.of("UPDATE audit_event SET actor = 'someone else'",
                    "DELETE FROM audit_event", "TRUNCATE audit_event",
                    "ALTER TABLE audit_event DISABLE TRIGGER ALL", "DROP TRIGGER audit_event_no_update ON audit_event",
                    "ALTER TABLE audit_event ADD COLUMN note text", "DELETE FROM flyway_schema_history")) {
                SQLException refused = assertThrows(SQLException.class,
                        () -> runtime.createStatement().execute(forbidden), db + ": " + forbidden);
                assertTrue(refused.getMessage().contains("permission denied") || refused.getMessage().contains("must be owner"),
                        db + ": " + forbidden + ": " + refused.getMessage());
            }
            assertEquals(1, runtime.createStatement().executeUpdate("INSERT INTO audit_event (actor, roles, action,"
                    + " ids, status) VALUES ('test', '', 'TEST', '{}', 200)"), "appending is allowed");
        }
    }

    /** The status of an authorised GET once the service answers (null if it did not within two minutes). */
    private static int awaitAnswer(Process process, int port, String path, String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token)
                        .build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode();
            } catch (java.io.IOException starting) {
                Thread.sleep(200);
            }
        }
        return -1;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
