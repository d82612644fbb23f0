package se.regionorebrolan.bhv.localstack;

import java.nio.file.Path;
import java.util.List;
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
        int reportingPort,
        String otlpEndpoint) {

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
                port(env, "BHV_REPORTING_PORT", 8083),
                blankToNull(env.apply("BHV_OTLP_ENDPOINT")));
    }

    /** Settings on ports that are free right now, for tests that run a whole stack beside anything else. */
    public static StackSettings onFreePorts(Path repoRoot, Path dataDir) {
        return new StackSettings(repoRoot, dataDir, Processes.freePort(), Processes.freePort(), Processes.freePort(),
                Processes.freePort(), Processes.freePort(), Processes.freePort(), null);
    }

    /**
     * The same settings with traces on, exported over OTLP/HTTP ({@code http/protobuf}) to the given endpoint,
     * e.g. {@code http://127.0.0.1:4318}; null keeps them off (the default).
     */
    public StackSettings withOtlpEndpoint(String endpoint) {
        return new StackSettings(repoRoot, dataDir, kafkaPort, kafkaControllerPort, postgresPort, visitPort,
                compensationPort, reportingPort, endpoint);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A port, what needs it, and the environment variable that moves it. */
    public record PortUse(int port, String user, String variable) {
    }

    /** Every port in start order. */
    public List<PortUse> ports() {
        return List.of(
                new PortUse(postgresPort, "PostgreSQL", "BHV_POSTGRES_PORT"),
                new PortUse(kafkaPort, "the Kafka broker", "BHV_KAFKA_PORT"),
                new PortUse(kafkaControllerPort, "the Kafka controller", "BHV_KAFKA_CONTROLLER_PORT"),
                new PortUse(visitPort, "visit-service", "BHV_VISIT_PORT"),
                new PortUse(compensationPort, "compensation-service", "BHV_COMPENSATION_PORT"),
                new PortUse(reportingPort, "reporting-service", "BHV_REPORTING_PORT"));
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
