package se.regionorebrolan.bhv.visit.outbox;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database made while the relay kept sent events (with {@code sent_at}) is brought to the outbox that holds only
 * what waits, is parked or was discarded: service-kit's {@code db/kit-outbox/R__outbox.sql} on top of this service's
 * versioned migrations, against the real PostgreSQL.
 */
class OutboxUpgradeTest {

    private static final String DATABASE = "outbox_upgrade";

    @Test
    void theRowsSentBeforeGoAndWhatWaitsIsParkedOrDiscardedStays() throws SQLException {
        PostgresServer postgres = TestInfrastructure.get().postgres();
        postgres.createDatabase(DATABASE);
        String url = postgres.jdbcUrl(DATABASE);
        // the database as it stood: this service's versioned migrations only, sent events kept
        migrate(url, "classpath:db/migration");
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "trust");
             Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO outbox_event (event_id, aggregate_id, event_type, payload, created_at, sent_at,
                                              parked_at, park_reason, discarded_at, discard_reason)
                    VALUES (gen_random_uuid(), gen_random_uuid(), 'VisitRecorded', '{"sent":1}', now(), now(),
                            NULL, NULL, NULL, NULL),
                           (gen_random_uuid(), gen_random_uuid(), 'VisitRecorded', '{"sent":2}', now(), now(),
                            NULL, NULL, NULL, NULL),
                           (gen_random_uuid(), gen_random_uuid(), 'VisitRecorded', '{"waiting":1}', now(), NULL,
                            NULL, NULL, NULL, NULL),
                           (gen_random_uuid(), gen_random_uuid(), 'VisitRecorded', '{"parked":1}', now(), NULL,
                            now(), 'RecordTooLargeException', NULL, NULL),
                           (gen_random_uuid(), gen_random_uuid(), 'VisitRecorded', '{"discarded":1}', now(), NULL,
                            now(), 'RecordTooLargeException', now(), 'ersatt av rättelse')""");
        }

        migrate(url, "classpath:db/migration", "classpath:db/kit", "classpath:db/kit-outbox");

        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "trust");
             Statement s = c.createStatement()) {
            assertEquals(List.of("{\"waiting\":1}", "{\"parked\":1}", "{\"discarded\":1}"),
                    strings(s, "SELECT payload FROM outbox_event ORDER BY id"));
            assertFalse(strings(s, "SELECT column_name FROM information_schema.columns"
                    + " WHERE table_name = 'outbox_event'").contains("sent_at"));
            List<String> indexes = strings(s, "SELECT indexdef FROM pg_indexes WHERE tablename = 'outbox_event'");
            assertTrue(indexes.stream().anyMatch(i -> i.contains("outbox_event_unsent")
                    && i.contains("(parked_at IS NULL) AND (discarded_at IS NULL)")), indexes.toString());
            assertTrue(indexes.stream().anyMatch(i -> i.contains("outbox_event_held")
                    && i.contains("(parked_at IS NOT NULL) AND (discarded_at IS NULL)")), indexes.toString());
        }
        // run again (a repeatable migration whose checksum changed runs on a database it already brought up)
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "trust");
             Statement s = c.createStatement()) {
            s.execute("DELETE FROM flyway_schema_history WHERE description = 'outbox'");
        }
        migrate(url, "classpath:db/migration", "classpath:db/kit", "classpath:db/kit-outbox");
    }

    private static void migrate(String url, String... locations) {
        Flyway.configure().dataSource(url, PostgresServer.USER, "trust").locations(locations)
                .placeholders(Map.of("runtimeRole", PostgresServer.USER)).load().migrate();
    }

    private static List<String> strings(Statement s, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
