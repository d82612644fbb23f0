package se.regionorebrolan.bhv.localstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the local stack keeps its data and which loopback ports it uses. Every value can be changed by an
 * environment variable, named in the message when a port is taken.
 */
public record StackSettings(
        Path repoRoot,
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        int visitPort,
        int compensationPort,
        int reportingPort) {

    public static StackSettings fromEnvironment(Path repoRoot, Function<String, String> env) {
        String data = env.apply("BHV_DATA_DIR");
        return new StackSettings(
                repoRoot,
                data == null || data.isBlank() ? repoRoot.resolve(".local-data") : Path.of(data),
                port(env, "BHV_KAFKA_PORT", 9092),
                port(env, "BHV_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "BHV_POSTGRES_PORT", 15432),
                port(env, "BHV_VISIT_PORT", 8081),
                port(env, "BHV_COMPENSATION_PORT", 8082),
                port(env, "BHV_REPORTING_PORT", 8083));
    }

    /** Every port with what uses it and the variable that moves it, in start order. */
    public Map<String, Integer> portsBySetting() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("BHV_POSTGRES_PORT (PostgreSQL)", postgresPort);
        ports.put("BHV_KAFKA_PORT (Kafka broker)", kafkaPort);
        ports.put("BHV_KAFKA_CONTROLLER_PORT (Kafka controller)", kafkaControllerPort);
        ports.put("BHV_VISIT_PORT (visit-service)", visitPort);
        ports.put("BHV_COMPENSATION_PORT (compensation-service)", compensationPort);
        ports.put("BHV_REPORTING_PORT (reporting-service)", reportingPort);
        return ports;
    }

    private static int port(Function<String, String> env, String name, int fallback) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (1-65535), not '" + value + "'");
        }
    }
}
