package se.regionorebrolan.bhv.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One service, run from its packaged production jar ({@code target/quarkus-app/quarkus-run.jar}) in its own JVM. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final ProcessBuilder builder;
    private final Path logFile;
    private volatile Process process;

    private ServiceProcess(String name, int port, ProcessBuilder builder, Path logFile) throws IOException {
        this.name = name;
        this.port = port;
        this.builder = builder;
        this.logFile = logFile;
        this.process = builder.start();
    }

    static ServiceProcess start(Path repoRoot, String module, int port, Map<String, String> environment, Path logFile)
            throws IOException {
        Path jar = repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with 'mvn -DskipTests package'");
        }
        // the JVM options of production (JAVA_TOOL_OPTIONS of the ConfigMap bhv-common)
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable()));
        command.addAll(productionJvmOptions(repoRoot));
        // e.g. -Dbhv.service.jvm-options=-XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile to profile a
        // benchmark (a directory: one recording per process)
        String options = System.getProperty("bhv.service.jvm-options", "").strip();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("MALLOC_ARENA_MAX", "2"); // as in production (ConfigMap bhv-common)
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // loopback only: the local stack has no authentication in front of it
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        return new ServiceProcess(module, port, builder, logFile);
    }

    /** The services' JVM options in production: JAVA_TOOL_OPTIONS of the ConfigMap bhv-common. */
    static List<String> productionJvmOptions(Path repoRoot) throws IOException {
        List<String> lines = Files.readAllLines(repoRoot.resolve("deploy/k8s/base/namespace/configmap.yaml"));
        int at = lines.indexOf("  JAVA_TOOL_OPTIONS: >-");
        if (at < 0) {
            throw new IllegalStateException("no JAVA_TOOL_OPTIONS (folded) in the ConfigMap bhv-common");
        }
        List<String> options = new ArrayList<>();
        for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("    "); i++) {
            options.addAll(List.of(lines.get(i).strip().split("\\s+")));
        }
        return options;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its log "
                        + logFile + " ends with:\n" + Processes.tail(logFile, 40));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Processes.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile
                + ":\n" + Processes.tail(logFile, 40));
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Kills the service at once (SIGKILL): what a crash or an evicted pod does. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Starts the service again, with the same settings, after {@link #kill()}. */
    void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        process = builder.start();
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(20));
    }
}
