package se.regionorebrolan.bhv.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * Not a test: a benchmark, run on demand (see README, "Figures"). Starts the whole local stack, stops visit-service
 * and reporting-service (so compensation-service has the machine), and
 * (1) feeds N {@code VisitRecorded} events into {@code bhv.visits.v1} as fast as a producer can and measures the
 *     events/s until every one is booked (a payout line each, committed);
 * (2) rebuilds: stops compensation-service, empties its booked state (payout lines, visits seen, processed events;
 *     centres and rule sets stay), deletes its consumer group, starts it again and measures until all N are booked
 *     again from offset 0.
 * N is {@code -Dbench.events} (default 20 000). Prints its figures; asserts nothing.
 */
class CompensationBenchmark {

    static final List<String> CENTRES = List.of("SE2321000164-E000000000001", "SE2321000164-E000000000002",
            "SE2321000164-E000000000003", "SE2321000164-E000000000101", "SE2321000164-E000000000102");

    @Test
    void measure(@TempDir Path data) throws Exception {
        int events = Integer.getInteger("bench.events", 20_000);
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.onFreePorts(root, data);
        try (LocalStack stack = LocalStack.start(settings, System.out)) {
            stack.kill("visit-service");
            stack.kill("reporting-service");
            String jdbc = "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/compensation";

            long start = System.nanoTime();
            produce(stack.kafkaBootstrapServers(), events);
            double produced = seconds(start);
            long firstBooked = awaitBooked(jdbc, 1, start);
            long allBooked = awaitBooked(jdbc, events, start);
            double live = (allBooked - start) / 1e9;
            System.out.printf("compensation benchmark: %d events produced in %.1f s; all booked %.1f s after the first"
                    + " was sent: %.0f events/s; %.0f events/s from the first line booked to the last%n", events,
                    produced, live, events / live, events / ((allBooked - firstBooked) / 1e9));

            stack.kill("compensation-service");
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "trust")) {
                c.createStatement().execute("TRUNCATE payout_line, visit_seen");
            }
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
            try (Admin client = Admin.create(admin)) {
                // the killed consumer stays a member until its session times out
                for (int attempt = 0; ; attempt++) {
                    try {
                        client.deleteConsumerGroups(Set.of("compensation-service")).all().get();
                        break;
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (attempt > 120) {
                            throw e;
                        }
                        Thread.sleep(1000);
                    }
                }
            }
            long restart = System.nanoTime();
            stack.restart("compensation-service");
            long rebuildFirst = awaitBooked(jdbc, 1, restart);
            long rebuildAll = awaitBooked(jdbc, events, restart);
            System.out.printf("compensation benchmark: rebuild of %d events from offset 0 into emptied tables: %.1f s"
                    + " from the restart (%.1f s of it starting the service), %.0f events/s once consuming%n", events,
                    (rebuildAll - restart) / 1e9, (rebuildFirst - restart) / 1e9,
                    events / ((rebuildAll - rebuildFirst) / 1e9));
        } finally {
            // kept for a look at what the service did: the test's data folder goes away
            java.nio.file.Files.copy(data.resolve("logs/compensation-service.log"),
                    Path.of("target/compensation-benchmark.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void produce(String bootstrap, int events) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        List<Participant> joint = List.of(new Participant(ParticipantRole.BHV_NURSE, "SE2321000164-N0000001", null),
                new Participant(ParticipantRole.SOCIAL_SERVICES, null, "Örebro kommun"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < events; i++) {
                UUID visitId = UUID.randomUUID();
                boolean withSocialServices = i % 3 != 0;
                VisitData visit = new VisitData(visitId, 1, "bench", "BENCH-" + i, CENTRES.get(i % CENTRES.size()),
                        visitId.toString().replace("-", "").repeat(2), LocalDate.of(2026, 1, 15),
                        LocalDate.of(2026, 3, 1 + i % 28), ProgramSlot.MONTH_2, false,
                        withSocialServices ? joint : joint.subList(0, 1), withSocialServices ? List.of("ZV509") : List.of(),
                        List.of(), false, List.of());
                CloudEvent event = EventCodec.envelope(EventType.VISIT_RECORDED, "/visit-service", visitId.toString(),
                        Instant.now(), visit);
                producer.send(new ProducerRecord<>(Topics.VISITS, visitId.toString(), EventCodec.write(event)));
            }
            producer.flush();
        }
    }

    /** Waits until at least {@code count} payout lines are committed; answers the nanoTime when they were. */
    /**
     * Waits until {@code count} lines are booked. Polls over one connection with two index lookups (line ids are
     * drawn without gaps under the feed lock, so max - min + 1 is the count, or more if a transaction rolled back):
     * a {@code count(*)} over a million lines every 50 ms would take the CPU it is meant to measure. The exact
     * count confirms the end.
     */
    private static long awaitBooked(String jdbc, int count, long since) throws SQLException, InterruptedException {
        Connection c = null;
        try {
            while (true) {
                try {
                    if (c == null) {
                        c = DriverManager.getConnection(jdbc, "postgres", "trust");
                    }
                    if (atLeast(c, "SELECT coalesce(max(line_id) - min(line_id) + 1, 0) FROM payout_line", count)
                            && atLeast(c, "SELECT count(*) FROM payout_line", count)) {
                        return System.nanoTime();
                    }
                } catch (SQLException tableNotThereYet) { // the service is migrating
                    if (c != null) {
                        c.close();
                        c = null;
                    }
                }
                if (seconds(since) > 3600) {
                    throw new IllegalStateException("not booked within an hour");
                }
                Thread.sleep(50);
            }
        } finally {
            if (c != null) {
                c.close();
            }
        }
    }

    private static boolean atLeast(Connection c, String query, int count) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getLong(1) >= count;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
