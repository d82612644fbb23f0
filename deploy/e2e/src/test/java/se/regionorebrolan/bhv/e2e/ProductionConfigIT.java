package se.regionorebrolan.bhv.e2e;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production jars refuse to start without their secrets' settings: no visit is ever pseudonymised with a default
 * key, and no API runs without the identity provider's issuer and key.
 */
class ProductionConfigIT {

    @Test
    void visitServiceDoesNotStartWithoutThePseudonymKey() throws Exception {
        String output = failedStart("visit-service", "PSEUDONYM_KEY");
        assertTrue(output.contains("PSEUDONYM_KEY") || output.contains("bhv.pseudonym-key"), output);
    }

    @Test
    void noServiceStartsWithoutTheTokenSettings() throws Exception {
        for (String service : java.util.List.of("visit-service", "compensation-service", "reporting-service")) {
            String output = failedStart(service, "JWT_ISSUER");
            assertTrue(output.contains("mp.jwt.verify.issuer"), service + ": " + output);
        }
        for (String service : java.util.List.of("visit-service", "compensation-service", "reporting-service")) {
            String output = failedStart(service, "JWT_AUDIENCE");
            assertTrue(output.contains("bhv.token.audience") || output.contains("JWT_AUDIENCE"), service + ": " + output);
        }
    }

    /** Starts the service's production jar without {@code missing}; answers its output once it has given up. */
    private static String failedStart(String service, String missing) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", root.resolve(service + "/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("JWT_") || name.equals("PSEUDONYM_KEY"));
        builder.environment().putAll(java.util.Map.of("QUARKUS_HTTP_PORT", "0", "QUARKUS_HTTP_HOST", "127.0.0.1",
                "DB_HOST", "127.0.0.1", "DB_PORT", "1", "DB_USER", "nobody", "DB_PASSWORD", "x",
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "LOG_JSON", "false"));
        if (!missing.equals("PSEUDONYM_KEY")) {
            builder.environment().put("PSEUDONYM_KEY", "a-test-key-of-enough-length");
        }
        java.util.Map.of("JWT_ISSUER", "https://idp.example", "JWT_AUDIENCE", "bhv",
                        "JWT_PUBLIC_KEY_LOCATION", "/nonexistent/public.pem")
                .forEach((name, value) -> {
                    if (!name.equals(missing)) {
                        builder.environment().put(name, value);
                    }
                });
        Process process = builder.start();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), service + " must give up by itself");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertNotEquals(0, process.exitValue());
        return output;
    }
}
