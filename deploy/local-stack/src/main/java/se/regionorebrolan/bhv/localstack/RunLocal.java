package se.regionorebrolan.bhv.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The local stack's command ({@code deploy/run-local.sh}): starts it, prints where everything is, stops on Ctrl-C. */
public final class RunLocal {

    /** How many example visits the first start loads (the same ones on every start). */
    private static final int DEMO_VISITS = 240;

    private RunLocal() {
    }

    public static void main(String[] args) throws Exception {
        boolean wipe = false;
        for (String arg : args) {
            switch (arg) {
                case "--wipe" -> wipe = true;
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    System.err.println("unknown argument " + arg + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        Path root = Path.of(System.getProperty("bhv.repo.root", ".")).toAbsolutePath().normalize();
        StackSettings settings;
        try {
            settings = StackSettings.fromEnvironment(root, System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (wipe) {
            System.out.println("Wiping " + settings.dataDir());
            TestInfrastructure.deleteRecursively(settings.dataDir());
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(settings, System.out);
        } catch (LocalStack.PortInUseException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalStateException e) {
            System.err.println("The local stack could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the local stack ...");
            stack.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "local-stack-stop"));
        try {
            int visits = DemoData.loadYear(stack.baseUrl("visit-service"), stack.baseUrl("reporting-service"),
                    stack.tokens(), DEMO_VISITS);
            System.out.println("Loaded an example year: " + visits + " demo visits and the year's grant.");
        } catch (IOException | RuntimeException e) {
            System.out.println("The example year could not be loaded (the stack runs without it): " + e.getMessage());
        }
        printUrls(stack, System.out);
        stopped.await();
    }

    private static void printUrls(LocalStack stack, PrintStream out) {
        StackSettings settings = stack.settings();
        out.println();
        out.println("The local stack is up. Data: " + settings.dataDir() + " (logs in " + settings.dataDir().resolve("logs") + ")");
        for (String module : List.of("visit-service", "compensation-service", "reporting-service")) {
            String base = stack.baseUrl(module);
            out.printf("  %-21s API %s/api/v1   Swagger UI %s/q/swagger-ui   OpenAPI %s/q/openapi%n", module, base,
                    base, base);
            out.printf("  %-21s health %s/q/health (live /q/health/live, ready /q/health/ready)   metrics %s/q/metrics%n",
                    "", base, base);
        }
        out.println("  Console               " + stack.baseUrl("reporting-service") + "/console/   (sign in with a token"
                + " from deploy/token.sh reporting, finance, bhv-admin or centre <HSA-id>)");
        out.println("  Traces                " + (settings.otlpEndpoint() == null
                ? "off (set BHV_OTLP_ENDPOINT to an OTLP/HTTP collector to switch them on)"
                : "exported to " + settings.otlpEndpoint()));
        out.println("  Tokens                deploy/token.sh <role>[,<role>...] [centre HSA-id]   (roles: ehr-integration,"
                + " finance, bhv-admin, reporting, centre; key pair in " + stack.tokens().publicKey().getParent() + ")");
        out.println("  Kafka bootstrap       " + stack.kafkaBootstrapServers());
        out.println("  PostgreSQL            " + "postgresql://127.0.0.1:" + settings.postgresPort()
                + "/{visit,compensation,reporting} (user postgres)");
        out.println("Press Ctrl-C to stop everything.");
    }

    private static final String USAGE = """
            usage: deploy/run-local.sh [--wipe] [--no-build]
              --wipe      delete the local data folder (database, Kafka log, keys) before starting
              --no-build  start from the jars already built
            environment: BHV_DATA_DIR, BHV_POSTGRES_PORT (15432), BHV_KAFKA_PORT (9092),
                         BHV_KAFKA_CONTROLLER_PORT (9093), BHV_VISIT_PORT (8081),
                         BHV_COMPENSATION_PORT (8082), BHV_REPORTING_PORT (8083),
                         BHV_OTLP_ENDPOINT (unset: traces off; e.g. http://127.0.0.1:4318 for OTLP/HTTP)""";
}
