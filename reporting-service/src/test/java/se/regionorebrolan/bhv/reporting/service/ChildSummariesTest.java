package se.regionorebrolan.bhv.reporting.service;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.kit.RecordOutcome;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.reporting.config.ReportingConfig;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A projection batch marks its children due and leaves their summaries alone (issue 18: the payouts keep the cores
 * during a burst); a report brings every due child up to date before it counts, and so does the background once the
 * projection has been quiet (the test profile: 3 s). With the database away the background tries again after a
 * growing pause, not at every tick.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class ChildSummariesTest {

    private static final int YEAR = 2036;

    @Inject
    Pool pool;

    @Inject
    Projector projector;

    @Inject
    ReportService reports;

    @Test
    void aBatchMarksItsChildrenDueAndAReportCountsThemFirst() {
        String child = "summaries-report-" + UUID.randomUUID();
        project(child, LocalDate.of(YEAR, 3, 1), ProgramSlot.MONTH_2);
        project(child, LocalDate.of(YEAR, 5, 1), ProgramSlot.MONTH_4);
        assertEquals(1, due(child), "the child is marked due once");
        assertEquals(0, summaryRows(child), "the batch did not recompute the summaries");

        long visits = reports.socialstyrelsen(YEAR).await().atMost(Duration.ofSeconds(30)).results().overall()
                .homeVisits();

        assertTrue(visits >= 2, "the report counts the visits projected before it was asked for: " + visits);
        assertEquals(0, due(child), "no longer due");
        assertEquals(3, summaryRows(child), "a row per centre, per municipality and per year");
        assertEquals(2, visitsSummarised(child));
    }

    @Test
    void theBackgroundBringsTheSummariesUpToDateOnceTheProjectionIsQuiet() throws InterruptedException {
        String child = "summaries-quiet-" + UUID.randomUUID();
        project(child, LocalDate.of(YEAR, 4, 1), ProgramSlot.MONTH_2);
        assertEquals(1, due(child));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (due(child) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }

        assertEquals(0, due(child), "still due 20 s after the last batch");
        assertEquals(1, visitsSummarised(child), "recomputed without a report asked for");
    }

    @Inject
    Vertx vertx;

    @Inject
    ReportingConfig config;

    @Test
    void withTheDatabaseAwayTheBackgroundBacksOff() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort(); // nothing listens there once the socket is closed
        }
        Pool away = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(closed)
                .setDatabase("reporting").setUser("reporting")).using(vertx).build();
        try {
            ChildSummaries summaries = new ChildSummaries(away, config); // marks from an earlier run may be waiting
            summaries.tick().await().atMost(Duration.ofSeconds(10));
            assertEquals(1, summaries.failures(), "the first try failed");

            summaries.tick().await().atMost(Duration.ofSeconds(10));
            assertEquals(1, summaries.failures(), "the next tick, within the 1 s pause, does not try");

            Thread.sleep(1_100);
            summaries.tick().await().atMost(Duration.ofSeconds(10));
            assertEquals(2, summaries.failures(), "tried again after the pause");
            Thread.sleep(1_100);
            summaries.tick().await().atMost(Duration.ofSeconds(10));
            assertEquals(2, summaries.failures(), "the pause has doubled to 2 s");
        } finally {
            away.closeAndAwait();
        }
    }

    private void project(String child, LocalDate date, ProgramSlot slot) {
        UUID id = UUID.randomUUID();
        VisitData visit = new VisitData(id, 1, "cosmic", "ENC-" + id, "summaries-test", child,
                LocalDate.of(YEAR, 1, 1), date, slot, false,
                List.of(new Participant(ParticipantRole.BHV_NURSE, "N1", null)), List.of(), List.of(), false,
                List.of());
        byte[] event = EventCodec.writeBytes(EventCodec.envelope(EventType.VISIT_RECORDED, "/test", id.toString(),
                Instant.now(), visit));
        List<RecordOutcome> outcomes = projector.project(List.of(Projector.Incoming.read(event,
                Set.of(EventType.VISIT_RECORDED)))).await().atMost(Duration.ofSeconds(30));
        assertEquals(List.of(RecordOutcome.PROCESSED), outcomes);
    }

    private long due(String child) {
        return count("SELECT count(*) FROM child_summary_due d JOIN report_child c USING (child_id)"
                + " WHERE c.pseudonym = $1", child);
    }

    private long summaryRows(String child) {
        return count("SELECT (SELECT count(*) FROM child_centre_year WHERE child_id = c.child_id)"
                + " + (SELECT count(*) FROM child_municipality_year WHERE child_id = c.child_id)"
                + " + (SELECT count(*) FROM child_year WHERE child_id = c.child_id)"
                + " FROM report_child c WHERE c.pseudonym = $1", child);
    }

    private long visitsSummarised(String child) {
        return count("SELECT coalesce(sum(y.visits), 0) FROM child_year y JOIN report_child c USING (child_id)"
                + " WHERE c.pseudonym = $1", child);
    }

    private long count(String sql, String child) {
        return pool.preparedQuery(sql).execute(Tuple.of(child)).await().atMost(Duration.ofSeconds(30)).iterator()
                .next().getLong(0);
    }
}
