package se.regionorebrolan.bhv.visit.outbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.visit.TestCentres;
import se.regionorebrolan.bhv.visit.rest.VisitResourceTest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The other replicas' relays hear of new outbox events through {@code NOTIFY outbox_event}: at once for a visit at
 * rest, and under load at most once per 50 ms (not once per visit), as another replica would hear it.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class OutboxNotifyTest {

    /** The least time between two notifications, as the README says. */
    private static final long INTERVAL_MS = 50;

    private static final String VISIT = """
            {"sourceSystem": "cosmic", "sourceVisitId": "%s", "centreId": "SE2321000164-E000000000001",
             "childPersonnummer": "202601152388", "visitDate": "2026-03-16",
             "participants": [{"role": "BHV_NURSE", "hsaId": "SE2321000164-N0000001"}], "kvaCodes": ["ZV509"]}
            """;

    private static int post() {
        return given().contentType(ContentType.JSON).body(VISIT.formatted(VisitResourceTest.uniqueSourceId("NTF-")))
                .post("/api/v1/visits").statusCode();
    }

    /** The notifications that reached a listener while {@code work} ran, and until a quiet 300 ms after it. */
    private static int notificationsDuring(Runnable work) throws Exception {
        try (Connection listener = DriverManager.getConnection(TestInfrastructure.get().postgres()
                .jdbcUrl(RealInfrastructureResource.DATABASE), PostgresServer.USER, "trust");
             Statement listen = listener.createStatement()) {
            listen.execute("LISTEN outbox_event");
            PGConnection pg = listener.unwrap(PGConnection.class);
            untilQuiet(pg); // a notification still on its way from earlier work is awaited, not counted
            work.run();
            return untilQuiet(pg);
        }
    }

    /** The notifications received until none came for 300 ms. */
    private static int untilQuiet(PGConnection pg) throws java.sql.SQLException {
        int count = 0;
        for (PGNotification[] got; (got = pg.getNotifications(300)) != null && got.length > 0; ) {
            count += got.length;
        }
        return count;
    }

    @Test
    void aVisitAtRestIsNotifiedAndVisitsUnderLoadShareNotifications() throws Exception {
        TestCentres.register("SE2321000164-E000000000001");

        assertEquals(1, notificationsDuring(() -> assertEquals(201, post())), "one visit at rest: one notification");

        int visits = 200;
        long[] elapsed = new long[1];
        int heard = notificationsDuring(() -> {
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                long start = System.nanoTime();
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < visits; i++) {
                    answers.add(clients.submit(OutboxNotifyTest::post));
                }
                for (Future<Integer> answer : answers) {
                    assertEquals(201, answer.get());
                }
                elapsed[0] = (System.nanoTime() - start) / 1_000_000;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                clients.shutdownNow();
            }
        });
        long mostAllowed = elapsed[0] / INTERVAL_MS + 2;
        assertTrue(heard >= 1, "the visits were notified");
        assertTrue(heard <= mostAllowed && heard < visits / 2, heard + " notifications for " + visits + " visits in "
                + elapsed[0] + " ms: at most one per " + INTERVAL_MS + " ms");
    }
}
