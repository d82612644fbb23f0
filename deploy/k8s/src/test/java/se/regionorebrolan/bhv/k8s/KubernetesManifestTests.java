package se.regionorebrolan.bhv.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.Topics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Renders every overlay with {@code kubectl kustomize} and checks what running in production relies on: probes,
 * resources and a non-root, read-only container for every Deployment; a Service, autoscaler, disruption budget and
 * network policy for each; every topic of the event contract with its settings; a Kafka user and a database per
 * service that the Deployment's secrets point at; metrics scraped; and a runbook section for every alert.
 */
class KubernetesManifestTests {

    static final List<String> SERVICES = List.of("visit-service", "compensation-service", "reporting-service");
    static final Map<String, String> DATABASES = Map.of("visit-service", "visit", "compensation-service",
            "compensation", "reporting-service", "reporting");
    static final Path ROOT = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyOverlayRendersAndHoldsWhatProductionReliesOn() throws Exception {
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            overlays = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(List.of("dev", "prod"), overlays.stream().map(p -> p.getFileName().toString()).toList());
        for (Path overlay : overlays) {
            List<JsonNode> resources = render(overlay);
            String where = "overlay " + overlay.getFileName() + ": ";
            for (String service : SERVICES) {
                checkDeployment(where + service, one(resources, "Deployment", service), resources);
            }
            checkTopics(where, resources, overlay.getFileName().toString().equals("prod"));
            checkPostgres(where, resources);
            checkNetwork(where, resources, overlay.getFileName().toString().equals("prod"));
            JsonNode monitor = one(resources, "ServiceMonitor", "bhv-services");
            assertEquals("/q/metrics", monitor.at("/spec/endpoints/0/path").asText(), where);
            for (String service : SERVICES) {
                assertEquals("bhv", one(resources, "Service", service).at("/metadata/labels/app.kubernetes.io~1part-of")
                        .asText(), where + service + "'s Service is selected by the ServiceMonitor");
            }
            assertTrue(one(resources, "ConfigMap", "bhv-grafana-dashboard").at("/data/bhv-dashboard.json").isTextual(),
                    where + "the Grafana dashboard");
        }
    }

    @Test
    void everyAlertHasARunbookSectionAndTheDashboardShowsEveryMetric() throws IOException {
        String runbook = Files.readString(ROOT.resolve("deploy/README.md"));
        JsonNode rules = YAML.readTree(K8S.resolve("base/monitoring/alerts.yaml").toFile());
        List<String> alerts = new ArrayList<>();
        rules.at("/spec/groups").forEach(g -> g.get("rules").forEach(r -> alerts.add(r.get("alert").asText())));
        assertTrue(alerts.size() >= 7, "alerts on lag, outbox age, dead letters, reconciliation, errors: " + alerts);
        for (String alert : alerts) {
            assertTrue(runbook.contains("### " + alert + "\n"), "deploy/README.md has no runbook section '### " + alert + "'");
        }
        String dashboard = Files.readString(K8S.resolve("base/monitoring/bhv-dashboard.json"));
        new ObjectMapper().readTree(dashboard);
        for (String metric : List.of("bhv_visits_accepted_total", "bhv_visits_rejected_total", "bhv_outbox_backlog_events",
                "bhv_outbox_oldest_unsent_age_seconds", "kafka_consumer_fetch_manager_records_lag",
                "bhv_dead_letters_total", "bhv_payout_lines_booked", "bhv_payout_amount_booked_sek",
                "bhv_payout_oldest_unpublished_age_seconds", "bhv_reconciliation_differences",
                "http_server_requests_seconds")) {
            assertTrue(dashboard.contains(metric), "the dashboard shows " + metric);
        }
    }

    @Test
    void theImageRunsAsANonRootUser() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("deploy/docker/Dockerfile"));
        Optional<String> user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b);
        assertTrue(user.isPresent(), "the Dockerfile names a USER");
        assertFalse(List.of("0", "root").contains(user.get().substring(5).trim()), user.get());
    }

    private static void checkDeployment(String where, JsonNode deployment, List<JsonNode> resources) {
        JsonNode pod = deployment.at("/spec/template/spec");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), where + ": runAsNonRoot");
        assertTrue(pod.at("/securityContext/runAsUser").asInt() > 0, where + ": a non-root runAsUser");
        assertFalse(pod.at("/containers").isEmpty(), where);
        for (JsonNode container : pod.get("containers")) {
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertTrue(container.has(probe), where + ": " + probe);
            }
            assertTrue(container.at("/livenessProbe/httpGet/path").asText().equals("/q/health/live"), where);
            assertTrue(container.at("/readinessProbe/httpGet/path").asText().equals("/q/health/ready"), where);
            for (String resource : List.of("/resources/requests/cpu", "/resources/requests/memory",
                    "/resources/limits/memory")) {
                assertFalse(container.at(resource).isMissingNode(), where + ": " + resource);
            }
            assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean(), where + ": read-only root");
            assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true), where);
            assertEquals("ALL", container.at("/securityContext/capabilities/drop/0").asText(), where);
            checkJvm(where, container, one(resources, "ConfigMap", "bhv-common"));
            assertEquals(DATABASES.get(deployment.at("/metadata/name").asText()), env(container, "DB_NAME").get("value").asText(),
                    where + ": its own database");
            List<String> roleSecrets = all(resources, "Cluster").get(0).at("/spec/managed/roles")
                    .findValuesAsText("name");
            for (String variable : List.of("DB_PASSWORD", "DB_OWNER_PASSWORD")) {
                String dbSecret = env(container, variable).at("/valueFrom/secretKeyRef/name").asText();
                assertTrue(roleSecrets.contains(dbSecret), where + ": " + variable + "'s secret " + dbSecret
                        + " is a role's password secret");
            }
            String kafkaSecret = env(container, "KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText();
            one(resources, "KafkaUser", kafkaSecret); // Strimzi writes a KafkaUser's credentials to a Secret of its name
        }
        String name = deployment.at("/metadata/name").asText();
        String app = deployment.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText();
        assertEquals(app, one(resources, "Service", name).at("/spec/selector/app.kubernetes.io~1name").asText(), where);
        JsonNode hpa = one(resources, "HorizontalPodAutoscaler", name);
        assertEquals(name, hpa.at("/spec/scaleTargetRef/name").asText(), where);
        assertTrue(hpa.at("/spec/maxReplicas").asInt() <= Topics.PARTITIONS,
                where + ": no more replicas than partitions, or some would have none and not be ready");
        assertEquals(app, one(resources, "PodDisruptionBudget", name).at("/spec/selector/matchLabels/app.kubernetes.io~1name")
                .asText(), where);
        JsonNode policy = one(resources, "NetworkPolicy", name);
        assertEquals(app, policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText(), where);
        assertEquals(List.of("Ingress", "Egress"), YAML.convertValue(policy.at("/spec/policyTypes"), List.class), where);
    }

    /** Threads a service runs at most (event loops, workers, Kafka clients, JVM): for the stacks' share. */
    static final int THREADS = 80;

    /**
     * The JVM fits its container: heap, metaspace, code cache, direct memory and thread stacks (explicit, none left
     * to the JVM's defaults) add up to at most 90 % of the memory limit, the rest for the JVM's own native memory;
     * metaspace's first collection threshold above what the services use; on one CPU the serial collector; the
     * process exits on running out of memory (Kubernetes starts it again); the initial heap explicit and small;
     * the young generation fixed.
     */
    private static void checkJvm(String where, JsonNode container, JsonNode config) {
        String options = config.at("/data/JAVA_TOOL_OPTIONS").asText();
        assertTrue(container.at("/envFrom").findValuesAsText("name").contains("bhv-common"),
                where + ": takes JAVA_TOOL_OPTIONS from bhv-common");
        long limit = bytes(container.at("/resources/limits/memory").asText());
        long sum = bytes(option(where, options, "-Xmx")) + bytes(option(where, options, "-XX:MaxMetaspaceSize="))
                + bytes(option(where, options, "-XX:ReservedCodeCacheSize="))
                + bytes(option(where, options, "-XX:MaxDirectMemorySize="))
                + THREADS * bytes(option(where, options, "-Xss"));
        assertTrue(sum <= limit * 9 / 10, where + ": the JVM's sizes add up to " + sum / (1 << 20) + " MiB, over 90 % of "
                + "the " + limit / (1 << 20) + " MiB limit");
        long initialHeap = bytes(option(where, options, "-Xms"));
        assertTrue(initialHeap <= bytes(option(where, options, "-Xmx")) / 2, where + ": the heap starts well below its "
                + "maximum and grows with the load, the same in the container and on the local stack's host (not 1/64 of "
                + "its memory)");
        long young = bytes(option(where, options, "-Xmn"));
        assertTrue(young >= 32L << 20 && young < initialHeap, where + ": the young generation fixed, large enough for "
                + "a consumer's poll batch (at about 20 MB each batch was promoted and collected in full), and inside "
                + "the initial heap (the JVM would shrink it to fit)");
        long survivor = young / (Long.parseLong(option(where, options, "-XX:SurvivorRatio=")) + 2);
        assertTrue(survivor >= 6L << 20, where + ": survivor spaces of at least 6 MB, so that a poll batch alive at a "
                + "young collection stays in the young generation (with 4 MB most batches were promoted and the old "
                + "generation collected in full every few seconds)");
        long metaspaceThreshold = bytes(option(where, options, "-XX:MetaspaceSize="));
        assertTrue(metaspaceThreshold >= 96L << 20
                        && metaspaceThreshold <= bytes(option(where, options, "-XX:MaxMetaspaceSize=")),
                where + ": the first metaspace collection above the 72-90 MB in use, so a start runs no full collection");
        String cpu = container.at("/resources/limits/cpu").asText();
        assertTrue(!cpu.equals("1") || options.contains("-XX:+UseSerialGC"), where + ": one CPU, the serial collector");
        assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError"), where);
        assertEquals("2", config.at("/data/MALLOC_ARENA_MAX").asText(), where + ": as the local stack measures it");
        assertEquals(config.at("/data/QUARKUS_OTEL_SDK_DISABLED").asText().equals("false") ? "true" : "false",
                config.at("/data/MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_TRACING_ENABLED").asText(),
                where + ": Kafka's spans per record exactly when traces are exported");
    }

    private static String option(String where, String options, String prefix) {
        return Stream.of(options.trim().split("\\s+")).filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length()))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError(where + ": JAVA_TOOL_OPTIONS without " + prefix));
    }

    /** A size in bytes, from a Kubernetes quantity (512Mi, 1Gi) or a JVM size (160m, 512k, 1g). */
    static long bytes(String size) {
        String number = size.replaceAll("[^0-9]", "");
        String unit = size.replaceAll("[0-9]", "").toLowerCase(java.util.Locale.ROOT);
        long factor = switch (unit) {
            case "", "b" -> 1;
            case "k", "ki" -> 1L << 10;
            case "m", "mi" -> 1L << 20;
            case "g", "gi" -> 1L << 30;
            default -> throw new AssertionError("a size in an unknown unit: " + size);
        };
        return Long.parseLong(number) * factor;
    }

    private static void checkTopics(String where, List<JsonNode> resources, boolean production) {
        List<JsonNode> topics = all(resources, "KafkaTopic");
        assertEquals(Topics.ALL.size(), topics.size(), where + "exactly the contract's topics");
        for (Topics.Spec spec : Topics.ALL) {
            JsonNode topic = topics.stream().filter(t -> spec.name().equals(t.at("/spec/topicName").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError(where + "no KafkaTopic for " + spec.name()));
            assertEquals(Topics.PARTITIONS, topic.at("/spec/partitions").asInt(), where + spec.name());
            assertEquals(spec.compacted() ? "compact" : "delete", topic.at("/spec/config/cleanup.policy").asText(),
                    where + spec.name());
            if (production) {
                assertEquals(3, topic.at("/spec/replicas").asInt(), where + spec.name());
                assertEquals(2, topic.at("/spec/config/min.insync.replicas").asInt(), where + spec.name());
            }
        }
        for (String service : SERVICES) {
            assertEquals("scram-sha-512", one(resources, "KafkaUser", service).at("/spec/authentication/type").asText());
        }
    }

    private static void checkPostgres(String where, List<JsonNode> resources) {
        List<JsonNode> clusters = all(resources, "Cluster");
        assertEquals(1, clusters.size(), where + "one CloudNativePG cluster");
        String cluster = clusters.get(0).at("/metadata/name").asText();
        for (String database : DATABASES.values()) {
            JsonNode db = all(resources, "Database").stream().filter(d -> database.equals(d.at("/spec/name").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError(where + "no Database " + database));
            assertEquals(cluster, db.at("/spec/cluster/name").asText(), where + database);
            assertEquals(database + "_owner", db.at("/spec/owner").asText(),
                    where + database + " is owned by its owner role, not by the service's runtime role");
        }
        List<String> roles = clusters.get(0).at("/spec/managed/roles").findValuesAsText("name");
        for (String database : DATABASES.values()) {
            assertTrue(roles.contains(database) && roles.contains(database + "_owner"), where + roles);
        }
        // every replica's pool fits the server's connections, with room for the operator and replication
        int maxConnections = clusters.get(0).at("/spec/postgresql/parameters/max_connections").asInt();
        int needed = 0;
        for (String service : SERVICES) {
            JsonNode container = one(resources, "Deployment", service).at("/spec/template/spec/containers/0");
            int pool = Integer.parseInt(env(container, "DB_POOL_MAX_SIZE").get("value").asText());
            needed += one(resources, "HorizontalPodAutoscaler", service).at("/spec/maxReplicas").asInt() * (pool + 1);
        }
        assertTrue(needed + 20 <= maxConnections, where + needed + " pooled connections + 20 reserved > "
                + maxConnections);
    }

    /**
     * A default deny for the namespace, explicit policies for the brokers and the database instances, and in
     * production an Ingress that routes the APIs and the console only: no metrics, health, OpenAPI or Swagger UI from
     * outside.
     */
    private static void checkNetwork(String where, List<JsonNode> resources, boolean production) {
        JsonNode deny = one(resources, "NetworkPolicy", "default-deny");
        assertTrue(deny.at("/spec/podSelector").isEmpty(), where + "default deny selects every pod");
        assertEquals(List.of("Ingress", "Egress"), YAML.convertValue(deny.at("/spec/policyTypes"), List.class), where);
        assertTrue(deny.at("/spec/ingress").isMissingNode() && deny.at("/spec/egress").isMissingNode(), where);
        assertEquals("bhv-kafka", one(resources, "NetworkPolicy", "bhv-kafka")
                .at("/spec/podSelector/matchLabels/strimzi.io~1cluster").asText(), where);
        assertEquals("bhv-postgres", one(resources, "NetworkPolicy", "bhv-postgres")
                .at("/spec/podSelector/matchLabels/cnpg.io~1cluster").asText(), where);
        List<JsonNode> ingresses = all(resources, "Ingress");
        assertEquals(production ? 1 : 0, ingresses.size(), where + "an Ingress in production only");
        for (JsonNode ingress : ingresses) {
            List<String> paths = ingress.findValuesAsText("path");
            assertFalse(paths.isEmpty(), where);
            for (String path : paths) {
                assertTrue(path.startsWith("/api/") || path.equals("/console"),
                        where + "only the APIs and the console leave the cluster, not " + path);
            }
            assertTrue(paths.contains("/console"), where + "the console is reachable");
        }
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
                return env;
            }
        }
        throw new AssertionError("no environment variable " + name + " in " + container.path("name").asText());
    }

    private static List<JsonNode> all(List<JsonNode> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.path("kind").asText())).toList();
    }

    private static JsonNode one(List<JsonNode> resources, String kind, String name) {
        List<JsonNode> found = all(resources, kind).stream()
                .filter(r -> name.equals(r.at("/metadata/name").asText())).toList();
        assertEquals(1, found.size(), "exactly one " + kind + " " + name);
        return found.get(0);
    }

    private static List<JsonNode> render(Path overlay) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            return fail("kubectl is needed to render the manifests (kubectl kustomize): " + e.getMessage());
        }
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, process.exitValue(), "kubectl kustomize " + overlay + " failed: " + err);
        List<JsonNode> resources = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(out)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(resources::add);
        }
        assertFalse(resources.isEmpty(), "nothing rendered from " + overlay);
        return resources;
    }
}
