package se.regionorebrolan.bhv.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import se.regionorebrolan.bhv.events.Topics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one) in a child JVM, so that Scala and the
 * broker's libraries never reach the classpath of a service or a test. Its data lives in {@code dataDir}
 * and survives a restart.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/bhv/kafka-broker.classpath";

    private final ProcessBuilder builder;
    private final int port;
    private final Path logFile;
    private volatile Process process;

    private KafkaBroker(ProcessBuilder builder, int port, Path logFile) throws IOException {
        this.builder = builder;
        this.port = port;
        this.logFile = logFile;
        this.process = builder.start();
    }

    /** Starts the broker and waits until it answers; fails with the tail of its log if it does not. */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logFile) throws IOException {
        return start(dataDir, port, controllerPort, logFile, "");
    }

    /**
     * The same with a second listener for SCRAM-SHA-512 on {@code saslPort} and one user: {@code SASL_SSL} with the
     * key and certificate of {@code keystore} (PKCS12, password "changeit"), or {@code SASL_PLAINTEXT} when it is
     * null. For the test of the services' SASL and TLS settings; the plain listener stays for the test's own clients.
     */
    public static KafkaBroker startWithScram(Path dataDir, int port, int controllerPort, int saslPort, String user,
                                             String password, Path keystore, Path logFile) throws IOException {
        String protocol = keystore == null ? "SASL_PLAINTEXT" : "SASL_SSL";
        String tls = keystore == null ? "" : String.join("\n", "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + keystore, "ssl.keystore.password=changeit", "ssl.key.password=changeit", "");
        return start(dataDir, port, controllerPort, logFile, tls + String.join("\n",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                        + "," + protocol + "://127.0.0.1:" + saslPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + "," + protocol + "://127.0.0.1:" + saslPort,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT," + protocol + ":" + protocol,
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "listener.name." + protocol.toLowerCase() + ".scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                // read by BrokerMain when it formats the log directory (the user is stored in the cluster metadata)
                "bhv.scram.user=" + user + ":" + password, ""));
    }

    private static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logFile, String extra)
            throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(logFile.getParent());
        Path config = dataDir.resolve("server.properties");
        Files.writeString(config, serverProperties(dataDir.resolve("logs"), port, controllerPort) + extra);
        ProcessBuilder builder = new ProcessBuilder(
                // C1 only, as the services run: with C2 the broker's compiler threads took more CPU than its
                // requests for minutes after a start, on the same two cores as everything else (issue 18)
                Processes.javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", brokerClasspath(),
                "se.regionorebrolan.bhv.kafka.BrokerMain", config.toString(), Uuid.randomUuid().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // stdin stays a pipe: the broker exits when it closes, i.e. when this JVM is gone.
        KafkaBroker broker = new KafkaBroker(builder, port, logFile);
        broker.awaitReady(Duration.ofSeconds(90));
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates every topic of the contract that does not exist yet (6 partitions; the centre topic compacted). */
    public void createContractTopics() {
        List<NewTopic> topics = Topics.ALL.stream()
                .map(spec -> new NewTopic(spec.name(), Topics.PARTITIONS, (short) 1)
                        .configs(spec.compacted()
                                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                                : Map.of()))
                .toList();
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey(), e.getCause());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("could not create topic " + entry.getKey(), e);
                }
            }
        }
    }

    /**
     * Waits until each consumer group has taken up the given number of partitions, so that the first event after
     * start-up is consumed at once instead of waiting for a rebalance.
     */
    public void awaitConsumerGroups(Map<String, Integer> partitionsByGroup, Duration timeout) {
        pollUntil("consumer groups " + partitionsByGroup.keySet() + " assigned", timeout, admin -> {
            var groups = admin.describeConsumerGroups(partitionsByGroup.keySet()).all().get(10, TimeUnit.SECONDS);
            return partitionsByGroup.entrySet().stream().allMatch(expected -> {
                var group = groups.get(expected.getKey());
                return group != null && group.groupState() == GroupState.STABLE
                        && group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum()
                        >= expected.getValue();
            });
        });
    }

    /** Waits until the consumer group has consumed everything on the topic up to now. */
    public void awaitCaughtUp(String group, String topic, Duration timeout) {
        Map<TopicPartition, Long> latest = new HashMap<>();
        pollUntil(group + " caught up on " + topic, timeout, admin -> {
            if (latest.isEmpty()) { // the end offsets once, at the start: "up to now"
                var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                        .all().get(10, TimeUnit.SECONDS).forEach((p, info) -> latest.put(p, info.offset()));
            }
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            return latest.entrySet().stream().allMatch(end -> end.getValue() == 0
                    || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue()));
        });
    }

    /** A question put to the broker until it answers yes. */
    private interface Check {
        boolean holds(Admin admin) throws Exception;
    }

    private void pollUntil(String what, Duration timeout, Check check) {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = admin()) {
            while (!check.holds(admin)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(what + ": not within " + timeout);
                }
                Processes.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(what + ": the broker did not answer", e);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(props);
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue()
                        + "; its log " + logFile + " ends with:\n" + Processes.tail(logFile, 30));
            }
            if (Processes.portOpen(port)) {
                try (Admin admin = admin()) {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    // the listener is up before the broker has joined its own quorum
                }
            }
            Processes.sleep(200);
        }
        close();
        throw new IllegalStateException("Kafka broker did not start within " + timeout + "; see " + logFile);
    }

    /** Starts the broker again on its data after {@link #close()}, and waits until it answers. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("the Kafka broker is still running");
        }
        process = builder.start();
        awaitReady(Duration.ofSeconds(90));
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Kills the broker at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    private static String serverProperties(Path logDir, int port, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir.toAbsolutePath(),
                "num.partitions=" + Topics.PARTITIONS,
                // topics are created explicitly with their contract settings; a typo must not create one
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
    }

    private static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build deploy/kafka-broker first (mvn install)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
