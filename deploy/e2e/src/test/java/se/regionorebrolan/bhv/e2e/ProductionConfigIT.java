package se.regionorebrolan.bhv.e2e;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production jar refuses to start without the pseudonym key: no visit is ever pseudonymised with a default. */
class ProductionConfigIT {

    @Test
    void visitServiceDoesNotStartWithoutThePseudonymKey() throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", root.resolve("visit-service/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true);
        builder.environment().remove("PSEUDONYM_KEY");
        builder.environment().putAll(java.util.Map.of("QUARKUS_HTTP_PORT", "0", "QUARKUS_HTTP_HOST", "127.0.0.1",
                "DB_HOST", "127.0.0.1", "DB_PORT", "1", "DB_USER", "nobody", "DB_PASSWORD", "x",
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"));
        Process process = builder.start();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the service must give up by itself");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertNotEquals(0, process.exitValue());
        assertTrue(output.contains("PSEUDONYM_KEY") || output.contains("bhv.pseudonym-key"), output);
    }
}
