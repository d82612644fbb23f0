package se.regionorebrolan.bhv.localstack;

import se.regionorebrolan.bhv.events.Topics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one machine: a real PostgreSQL (durable: fsync and synchronous commit on), a real
 * Kafka broker, the contract's topics, the three services from their production jars, and demo centres.
 * Data lives in {@link StackSettings#dataDir()} and survives a restart.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration SERVICE_START = Duration.ofSeconds(120);

    private final StackSettings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new HashMap<>();
    private Tokens tokens;
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private Supervisor supervisor;
    private volatile boolean closed;

    /** The names of the stack's processes for {@link #crash}, besides the three services' module names. */
    public static final String KAFKA = "kafka";
    public static final String POSTGRES = "postgres";

    private LocalStack(StackSettings settings) {
        this.settings = settings;
    }

    public static LocalStack start(StackSettings settings, PrintStream out) throws IOException, InterruptedException {
        checkPortsFree(settings);
        LocalStack stack = new LocalStack(settings);
        try {
            stack.startAll(out);
            return stack;
        } catch (RuntimeException | IOException | InterruptedException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(PrintStream out) throws IOException, InterruptedException {
        Path data = settings.dataDir();
        Path logs = data.resolve("logs");
        Files.createDirectories(logs);

        out.println("Starting PostgreSQL on 127.0.0.1:" + settings.postgresPort() + " ...");
        postgres = PostgresServer.start(data.resolve("postgres"), settings.postgresPort(), true,
                logs.resolve("postgres.log"));
        started.add(postgres);
        for (String db : List.of("visit", "compensation", "reporting")) {
            postgres.createDatabase(db);
        }

        out.println("Starting Kafka on 127.0.0.1:" + settings.kafkaPort() + " ...");
        kafka = KafkaBroker.start(data.resolve("kafka"), settings.kafkaPort(),
                settings.kafkaControllerPort(), logs.resolve("kafka.log"));
        started.add(kafka);
        kafka.createContractTopics();

        // the key pair of local tokens, made on the first start (git-ignored with the data folder)
        tokens = Tokens.in(data.resolve("keys"));
        Map<String, String> common = new HashMap<>(Map.of(
                "JWT_PUBLIC_KEY_LOCATION", tokens.publicKey().toString(),
                "JWT_ISSUER", Tokens.LOCAL_ISSUER,
                "JWT_AUDIENCE", Tokens.AUDIENCE,
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(postgres.port()),
                "DB_USER", PostgresServer.USER,
                // embedded PostgreSQL trusts loopback; the production profile insists on a password being set
                "DB_PASSWORD", "trust"));
        if (settings.otlpEndpoint() != null) {
            common.putAll(Map.of(
                    "QUARKUS_OTEL_SDK_DISABLED", "false",
                    "MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_TRACING_ENABLED", "true",
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", settings.otlpEndpoint(),
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                    "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"));
        }
        startService(out, "visit-service", "visit", settings.visitPort(), common,
                Map.of("PSEUDONYM_KEY", LocalSecrets.pseudonymKey(data)));
        startService(out, "compensation-service", "compensation", settings.compensationPort(), common, Map.of());
        startService(out, "reporting-service", "reporting", settings.reportingPort(), common,
                Map.of("CONSOLE_SECURE_COOKIE", "false", // plain HTTP on loopback
                        "COMPENSATION_URL", "http://127.0.0.1:" + settings.compensationPort()));
        for (ServiceProcess service : services.values()) {
            service.awaitReady(SERVICE_START);
        }
        // visit reads the centre topic, compensation the visit topic, reporting the visit, payout and centre topics
        kafka.awaitConsumerGroups(Map.of("visit-service", Topics.PARTITIONS, "compensation-service", Topics.PARTITIONS,
                "reporting-service", 3 * Topics.PARTITIONS), SERVICE_START);
        superviseAll(out);
        int centres = DemoData.loadCentres(baseUrl("compensation-service"),
                tokens.mint("local-stack", List.of("bhv-admin"), null));
        // visits for a centre are accepted once visit-service has read it from the registry topic
        kafka.awaitCaughtUp("visit-service", Topics.CENTRES, SERVICE_START);
        out.println("Loaded " + centres + " demo centres (example data).");
        if (restAssuredPresent()) {
            TestTokens.install(tokens); // a test drives this stack: its REST Assured requests carry a token
        }
    }

    private void startService(PrintStream out, String module, String database, int port, Map<String, String> common,
                              Map<String, String> own) throws IOException {
        out.println("Starting " + module + " on 127.0.0.1:" + port + " ...");
        Map<String, String> env = new HashMap<>(common);
        env.putAll(own);
        env.put("DB_NAME", database);
        ServiceProcess process = ServiceProcess.start(settings.repoRoot(), module, port, env,
                settings.dataDir().resolve("logs").resolve(module + ".log"));
        started.add(process);
        services.put(module, process);
    }

    /** From here on a process that dies is started again, as Kubernetes would (see {@link Supervisor}). */
    private void superviseAll(PrintStream out) {
        supervisor = new Supervisor(out);
        supervisor.supervise(POSTGRES, Supervisor.Child.of(postgres::alive, postgres::restart));
        supervisor.supervise(KAFKA, Supervisor.Child.of(kafka::alive, kafka::restart));
        services.forEach((module, service) -> supervisor.supervise(module,
                Supervisor.Child.of(service::alive, service::restart)));
    }

    private static boolean restAssuredPresent() {
        try {
            Class.forName("io.restassured.RestAssured", false, LocalStack.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public StackSettings settings() {
        return settings;
    }

    /** The stack's token key pair: mint tokens for its services with it. */
    public Tokens tokens() {
        return tokens;
    }

    public String baseUrl(String module) {
        return services.get(module).baseUrl();
    }

    /**
     * Kills one service with SIGKILL, as a crash would, and keeps it down until {@link #restart} (for tests of what
     * a crash may not lose).
     */
    public void kill(String module) throws InterruptedException {
        supervisor.hold(module);
        services.get(module).kill();
    }

    /**
     * Stops one service as Kubernetes stops a pod (SIGTERM, SIGKILL 20 s later) and keeps it down until
     * {@link #restart}; its shutdown hooks run (a flight recording is written).
     */
    public void stop(String module) throws InterruptedException {
        supervisor.hold(module);
        services.get(module).close();
    }

    /** Starts a killed or stopped service again and waits until it is ready. */
    public void restart(String module) throws IOException {
        ServiceProcess service = services.get(module);
        if (!service.alive()) {
            service.restart();
        }
        supervisor.release(module);
        service.awaitReady(SERVICE_START);
    }

    /**
     * Kills a process with SIGKILL (a service's module name, {@link #KAFKA} or {@link #POSTGRES}) and leaves it to the
     * supervisor to start it again.
     */
    public void crash(String name) throws InterruptedException {
        switch (name) {
            case KAFKA -> kafka.kill();
            case POSTGRES -> postgres.kill();
            default -> services.get(name).kill();
        }
    }

    /** Waits until the service answers ready (after a crash, once the supervisor has started it again). */
    public void awaitReady(String module, Duration timeout) {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        ServiceProcess service = services.get(module);
        while (true) {
            Duration left = Duration.between(java.time.Instant.now(), deadline);
            if (service.alive()) {
                try {
                    service.awaitReady(left);
                    return;
                } catch (IllegalStateException diedWhileStarting) {
                    if (left.isNegative()) {
                        throw diedWhileStarting;
                    }
                }
            } else if (left.isNegative()) {
                throw new IllegalStateException(module + " was not started again within " + timeout);
            }
            Processes.sleep(200);
        }
    }

    /** The process id of a service (to watch its memory). */
    public long pid(String module) {
        return services.get(module).pid();
    }

    /** How many times the supervisor started the process again. */
    public int restarts(String name) {
        return supervisor.restarts(name);
    }

    /** Stops the Kafka broker cleanly and keeps it down (for tests of what the services do while it is away). */
    public void stopKafka() {
        supervisor.hold(KAFKA);
        kafka.close();
    }

    /** Starts the stopped broker again on the same data. */
    public void startKafka() throws IOException {
        if (!kafka.alive()) {
            kafka.restart();
        }
        supervisor.release(KAFKA);
    }

    /** Kills PostgreSQL and keeps it down until {@link #startPostgres} (an outage of the database). */
    public void stopPostgres() {
        supervisor.hold(POSTGRES);
        postgres.kill();
    }

    /** Starts PostgreSQL again on its data. */
    public void startPostgres() throws IOException {
        if (!postgres.alive()) {
            postgres.restart();
        }
        supervisor.release(POSTGRES);
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + settings.kafkaPort();
    }

    private static void checkPortsFree(StackSettings settings) {
        for (StackSettings.PortUse use : settings.ports()) {
            if (!Processes.portFree(use.port())) {
                throw new PortInUseException("Port " + use.port() + " is already in use; " + use.user()
                        + " needs it. Stop what uses it, or choose another port: " + use.variable()
                        + "=<port> deploy/run-local.sh");
            }
        }
    }

    /** Stops the services first (they flush to Kafka and PostgreSQL), then Kafka, then PostgreSQL. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (supervisor != null) {
            supervisor.close(); // nothing is started again while the stack stops
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping " + started.get(i) + " failed: " + e.getMessage());
            }
        }
    }

    /** A port the local stack needs is taken. */
    public static final class PortInUseException extends IllegalStateException {
        PortInUseException(String message) {
            super(message);
        }
    }
}
