package se.regionorebrolan.bhv.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStackTests {

    @Test
    void aTakenPortIsNamedWithTheSettingThatMovesIt(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StackSettings onFree = StackSettings.onFreePorts(data, data);
            StackSettings settings = new StackSettings(data, data, taken.getLocalPort(), onFree.kafkaControllerPort(),
                    onFree.postgresPort(), onFree.visitPort(), onFree.compensationPort(), onFree.reportingPort(), null);
            var e = assertThrows(LocalStack.PortInUseException.class, () -> LocalStack.start(settings, System.out));
            assertTrue(e.getMessage().contains("Port " + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("BHV_KAFKA_PORT"), e.getMessage());
            assertTrue(e.getMessage().contains("the Kafka broker needs it"), e.getMessage());
        }
    }

    @Test
    void settingsComeFromTheEnvironmentWithDefaults(@TempDir Path root) {
        StackSettings defaults = StackSettings.fromEnvironment(root, Map.<String, String>of()::get);
        assertEquals(9092, defaults.kafkaPort());
        assertEquals(8081, defaults.visitPort());
        assertEquals(root.resolve(".local-data"), defaults.dataDir());
        StackSettings moved = StackSettings.fromEnvironment(root, Map.of("BHV_VISIT_PORT", "18081", "BHV_DATA_DIR", "/tmp/x")::get);
        assertEquals(18081, moved.visitPort());
        assertEquals(Path.of("/tmp/x"), moved.dataDir());
        var e = assertThrows(IllegalArgumentException.class,
                () -> StackSettings.fromEnvironment(root, Map.of("BHV_KAFKA_PORT", "ninety")::get));
        assertTrue(e.getMessage().contains("BHV_KAFKA_PORT"));
    }

    @Test
    void theLocalStacksPostgresIsDurableAndKeepsItsData(@TempDir Path data) throws Exception {
        Path dir = data.resolve("pg");
        Path log = data.resolve("pg.log");
        try (PostgresServer durable = PostgresServer.start(dir, Processes.freePort(), true, log)) {
            assertEquals("on", durable.setting("fsync"));
            assertEquals("on", durable.setting("synchronous_commit"));
            durable.createDatabase("kept");
        }
        try (PostgresServer again = PostgresServer.start(dir, Processes.freePort(), true, log)) {
            again.createDatabase("kept"); // exists already: no error, nothing lost
            assertEquals("on", again.setting("fsync"));
        }
        try (PostgresServer forTests = PostgresServer.start(null, Processes.freePort(), false, log)) {
            assertEquals("off", forTests.setting("synchronous_commit"));
        }
    }

    @Test
    void theKafkaBrokerStartsCreatesTheContractTopicsAndStops(@TempDir Path data) throws Exception {
        KafkaBroker broker = KafkaBroker.start(data.resolve("kafka"), Processes.freePort(), Processes.freePort(),
                data.resolve("kafka.log"));
        int port = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().indexOf(':') + 1));
        try (broker; var admin = broker.admin()) {
            broker.createContractTopics();
            broker.createContractTopics(); // again: existing topics are fine
            var topics = admin.describeTopics(se.regionorebrolan.bhv.events.Topics.ALL.stream()
                    .map(se.regionorebrolan.bhv.events.Topics.Spec::name).toList()).allTopicNames().get();
            topics.values().forEach(t -> assertEquals(6, t.partitions().size(), t.name()));
            var centres = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, se.regionorebrolan.bhv.events.Topics.CENTRES);
            String policy = admin.describeConfigs(java.util.List.of(centres)).all().get().get(centres)
                    .get("cleanup.policy").value();
            assertEquals("compact", policy);
        }
        assertFalse(Processes.portOpen(port), "the broker is gone after close");
    }
}
