package se.regionorebrolan.bhv.e2e;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Referral;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;

import java.math.BigDecimal;
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
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * Not a test: a benchmark, run on demand (see README, "Figures"). Starts the local stack, stops visit-service and
 * compensation-service (reporting-service gets the machine), sends a national-scale year through the topics —
 * 300 centres in 100 municipalities, N visits (default 1 000 000, {@code -Dbench.visits}) of about N/5 children in
 * the six programme slots, each visit with its payout line — waits until the read models hold all of it and every
 * child's summaries are up to date, and times the report requests (each several times; the figure is the slowest
 * after the first). Prints its figures; asserts nothing.
 */
class ReportingBenchmark {

    private static final int CENTRES = 300;
    private static final int YEAR = 2026;

    @Test
    void measure(@TempDir Path data) throws Exception {
        int visits = Integer.getInteger("bench.visits", 1_000_000);
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.onFreePorts(root, data);
        try (LocalStack stack = LocalStack.start(settings, System.out)) {
            stack.kill("visit-service");
            stack.kill("compensation-service");
            String jdbc = "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/reporting";
            String reporting = stack.baseUrl("reporting-service");

            long start = System.nanoTime();
            produce(stack.kafkaBootstrapServers(), visits);
            double produced = seconds(start);
            await(jdbc, "SELECT count(*) >= " + visits + " FROM report_visit", 500);
            await(jdbc, "SELECT count(*) >= " + visits + " FROM report_payout_line", 500);
            double loaded = seconds(start);
            System.out.printf("reporting benchmark: %d visits + %d payout lines + %d centres produced in %.1f s,"
                    + " all in the read models after %.1f s (%.0f events/s)%n", visits, visits, CENTRES, produced,
                    loaded, 2.0 * visits / loaded);
            awaitSummaries(jdbc);
            double summarised = seconds(start);
            System.out.printf("reporting benchmark: every child's summaries up to date after %.1f s (%.0f events/s)%n",
                    summarised, 2.0 * visits / summarised);
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "trust")) {
                c.createStatement().execute("VACUUM ANALYZE");
            }

            time("socialstyrelsen report (JSON)", () -> given().get(reporting + "/api/v1/reports/socialstyrelsen/"
                    + YEAR).then().statusCode(200).extract().asByteArray().length);
            time("socialstyrelsen report (CSV)", () -> given().accept("text/csv").get(reporting
                    + "/api/v1/reports/socialstyrelsen/" + YEAR).then().statusCode(200).extract().asByteArray().length);
            time("regional report", () -> given().get(reporting + "/api/v1/reports/regional/" + YEAR).then()
                    .statusCode(200).extract().asByteArray().length);
            time("evidence export (CSV)", () -> given().get(reporting + "/api/v1/reports/socialstyrelsen/" + YEAR
                    + "/evidence").then().statusCode(200).extract().asByteArray().length);
        } finally {
            java.nio.file.Files.copy(data.resolve("logs/reporting-service.log"),
                    Path.of("target/reporting-benchmark.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private interface Request {
        int bytes();
    }

    private static void time(String what, Request request) {
        List<Double> millis = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            bytes = request.bytes();
            millis.add((System.nanoTime() - t) / 1e6);
        }
        double first = millis.get(0);
        double worst = millis.subList(1, millis.size()).stream().mapToDouble(Double::doubleValue).max().orElse(first);
        double best = millis.stream().mapToDouble(Double::doubleValue).min().orElse(first);
        System.out.printf("reporting benchmark: %s, %d bytes: first %.0f ms, then at most %.0f ms (best %.0f ms)%n",
                what, bytes, first, worst, best);
    }

    private static void produce(String bootstrap, int visits) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        Random random = new Random(2026);
        List<Participant> joint = List.of(new Participant(ParticipantRole.BHV_NURSE, "SE2321000164-N0000001", null),
                new Participant(ParticipantRole.SOCIAL_SERVICES, null, "kommunen"));
        ProgramSlot[] slots = ProgramSlot.values();
        Referral[] referrals = Referral.values();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int c = 0; c < CENTRES; c++) {
                String id = centre(c);
                boolean fixed = c % 10 == 0;
                CentreData centre = new CentreData(id, "Vårdcentral " + c, "Kommun " + (c % 100),
                        fixed ? "FIXED_EXTENDED" : "VARIABLE", new BigDecimal(fixed ? "2.50" : "1.00"), 1000,
                        fixed ? LocalDate.of(YEAR, 1, 1) : null);
                producer.send(new ProducerRecord<>(Topics.CENTRES, id, EventCodec.write(EventCodec.envelope(
                        EventType.CENTRE_UPDATED, "/bench", id, Instant.now(), centre))));
            }
            long lineId = 1;
            int visit = 0;
            for (int child = 0; visit < visits; child++) {
                String pseudonym = String.format("%064x", child);
                String centre = centre(child % CENTRES);
                int count = Math.min(visits - visit, 2 + random.nextInt(7)); // 2..8 visits, about 5
                for (int k = 0; k < count; k++, visit++) {
                    UUID visitId = UUID.randomUUID();
                    boolean withSocialServices = random.nextInt(10) < 8;
                    LocalDate date = LocalDate.of(YEAR, 1 + random.nextInt(12), 1 + random.nextInt(28));
                    VisitData v = new VisitData(visitId, 1, "bench", "BENCH-" + visit, centre, pseudonym,
                            LocalDate.of(YEAR - 1, 6, 1), date, slots[k % slots.length], false,
                            withSocialServices ? joint : joint.subList(0, 1),
                            withSocialServices ? List.of("ZV509") : List.of(),
                            random.nextInt(4) == 0 ? List.of(referrals[random.nextInt(referrals.length)]) : List.of(),
                            random.nextInt(10) == 0, random.nextInt(3) == 0 ? List.of("FIRST_TIME_PARENT") : List.of());
                    producer.send(new ProducerRecord<>(Topics.VISITS, visitId.toString(), EventCodec.write(
                            EventCodec.envelope(EventType.VISIT_RECORDED, "/bench", visitId.toString(), Instant.now(),
                                    v))));
                    PayoutLineBookedData line = new PayoutLineBookedData(lineId++, centre,
                            date.toString().substring(0, 7), date.toString().substring(0, 7),
                            withSocialServices ? "JOINT_VISIT" : "ORDINARY_VISIT", null,
                            new BigDecimal(withSocialServices ? "2500.00" : "1800.00"),
                            withSocialServices ? "STATE_GRANT" : "ORDINARY", "R1", "bench", visitId, date, pseudonym,
                            Instant.now());
                    producer.send(new ProducerRecord<>(Topics.PAYOUTS, centre, EventCodec.write(EventCodec.envelope(
                            EventType.PAYOUT_LINE_BOOKED, "/bench", Long.toString(line.lineId()), Instant.now(),
                            line))));
                }
            }
            producer.flush();
        }
    }

    private static String centre(int c) {
        return String.format("SE2321000164-E0000009%05d", c);
    }

    /**
     * Waits until {@code doneQuery} answers true, asking every {@code pauseMillis} (a table not there yet, the service
     * migrating, is not done). Counting a million rows costs the database under load: those ask every 500 ms.
     */
    private static void await(String jdbc, String doneQuery, long pauseMillis) throws SQLException, InterruptedException {
        long since = System.nanoTime();
        while (true) {
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "trust");
                 ResultSet rs = c.createStatement().executeQuery(doneQuery)) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            } catch (SQLException tableNotThereYet) {
                // the service is migrating
            }
            if (seconds(since) > 3600) {
                throw new IllegalStateException("not loaded within an hour");
            }
            Thread.sleep(pauseMillis);
        }
    }

    /**
     * Waits until no child's summaries are due any more (the service recomputes them after the load; a build from
     * before {@code child_summary_due} recomputed them within the load, so there is nothing to wait for).
     */
    private static void awaitSummaries(String jdbc) throws SQLException, InterruptedException {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "trust");
             ResultSet table = c.createStatement().executeQuery("SELECT to_regclass('child_summary_due') IS NOT NULL")) {
            table.next();
            if (table.getBoolean(1)) {
                await(jdbc, "SELECT NOT EXISTS (SELECT FROM child_summary_due)", 100);
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
