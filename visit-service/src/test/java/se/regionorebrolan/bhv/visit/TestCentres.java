package se.regionorebrolan.bhv.visit;

import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Registers centres the way compensation-service does: on bhv.centres.v1. Waits until visit-service knows them. */
public final class TestCentres {

    private TestCentres() {
    }

    public static void register(String... centreIds) {
        TestInfrastructure infra = TestInfrastructure.get();
        for (String id : centreIds) {
            CentreData centre = new CentreData(id, "Testcentralen " + id, "Örebro", "VARIABLE", new BigDecimal("1.00"),
                    100, null);
            TopicProbe.send(infra.kafka().bootstrapServers(), Topics.CENTRES, id,
                    EventCodec.write(EventCodec.envelope(EventType.CENTRE_UPDATED, "/test", id, Instant.now(), centre)));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (known(infra.postgres(), centreIds) < centreIds.length) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("visit-service did not learn the centres from bhv.centres.v1");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int known(PostgresServer postgres, String... ids) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(RealInfrastructureResource.DATABASE),
                PostgresServer.USER, "trust");
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM known_centre WHERE centre_id = ANY (?)")) {
            count.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            return 0; // the table may not exist before the first test application started
        }
    }
}
