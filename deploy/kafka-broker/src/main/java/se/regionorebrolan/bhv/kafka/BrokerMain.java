package se.regionorebrolan.bhv.kafka;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Runs one real Kafka broker in KRaft combined mode (broker and controller in one process).
 * <p>
 * Usage: {@code BrokerMain <server.properties> <cluster-id>}. Formats the log directory on first start,
 * keeps it afterwards. Exits when its standard input closes, so that a parent that dies (even by
 * SIGKILL) never leaves a broker behind holding the ports.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain <server.properties> <cluster-id>");
            System.exit(2);
        }
        String config = args[0];
        Properties props = new Properties();
        try (InputStream in = new FileInputStream(config)) {
            props.load(in);
        }
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            java.util.List<String> format = new java.util.ArrayList<>(java.util.List.of("format", "-t", args[1], "-c",
                    config, "--ignore-formatted"));
            String scram = props.getProperty("bhv.scram.user"); // "name:password", for a SASL/SCRAM listener
            if (scram != null) {
                String[] user = scram.split(":", 2);
                format.addAll(java.util.List.of("--add-scram",
                        "SCRAM-SHA-512=[name=" + user[0] + ",password=" + user[1] + "]"));
            }
            int rc = kafka.tools.StorageTool.execute(format.toArray(String[]::new), System.out);
            if (rc != 0) {
                System.err.println("formatting " + logDir + " failed with " + rc);
                System.exit(rc);
            }
        }
        watchParent();
        kafka.Kafka.main(new String[] {config});
    }

    private static void watchParent() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent writes nothing; we only wait for end of stream
                }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone, too
            }
            System.exit(0); // runs Kafka's shutdown hook: a clean, controlled shutdown
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
