package se.regionorebrolan.bhv.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;
import se.regionorebrolan.bhv.localstack.TestTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;

/**
 * Not a test: issue 18's "every request in bounded memory and time, whatever the data's size", run on demand (README,
 * "Figures"). Starts the local stack, posts the README's visit, then writes a large year straight into PostgreSQL
 * (bench.lines payout lines, default 3 000 000, with the visits compensation-service saw for them, 210 000 of them
 * in June at one centre; and bench.visits visits, default 2 300 000, cloned from the posted one) and times the reads
 * finance and the integrations make on it, three times each, while sampling the services' resident memory. The lines
 * are marked published (they are not sent to Kafka again): only the reads are measured. Prints one table.
 */
class LargeDataBenchmark {

    static final int LINES = Integer.getInteger("bench.lines", 3_000_000);
    static final int VISITS = Integer.getInteger("bench.visits", 2_300_000);
    static final int JUNE_AT_ONE_CENTRE = 210_000;

    private final List<String> table = new ArrayList<>();

    @Test
    void measure(@TempDir Path data) throws Exception {
        try (LocalStack stack = SystemBenchmark.startStack(data)) {
            StackSettings settings = stack.settings();
            String visitService = stack.baseUrl("visit-service");
            String compensation = stack.baseUrl("compensation-service");
            given().contentType("application/json").body(WalkingSkeletonIT.README_VISIT).post(visitService
                    + "/api/v1/visits").then().statusCode(201);
            String centre = given().get(compensation + "/api/v1/centres").then().statusCode(200).extract().jsonPath()
                    .getString("[0].centreId");
            long start = System.nanoTime();
            psql(settings, data, "compensation", """
                    BEGIN;
                    CREATE TEMP TABLE centres AS SELECT row_number() OVER (ORDER BY centre_id) - 1 AS n, centre_id
                                                 FROM centre;
                    INSERT INTO payout_line (centre_id, period, for_period, kind, amount_ore, funding_source,
                                             rule_set_id, reason, visit_id, visit_revision, visit_date, booked_at)
                    SELECT CASE WHEN i <= %2$d THEN '%1$s' ELSE c.centre_id END,
                           to_char(d, 'YYYY-MM'), to_char(d, 'YYYY-MM'),
                           CASE WHEN i %% 3 = 0 THEN 'ORDINARY_VISIT' ELSE 'JOINT_VISIT' END,
                           CASE WHEN i %% 3 = 0 THEN 180000 ELSE 250000 END, 'STATE_GRANT', 'R1', 'bench',
                           gen_random_uuid(), 1, d, now()
                    FROM generate_series(1, %3$d) AS i
                    CROSS JOIN LATERAL (SELECT CASE WHEN i <= %2$d THEN DATE '2026-06-01' + (i %% 30)
                                               ELSE DATE '2026-01-01' + (i %% 365) END AS d) AS day
                    JOIN centres c ON c.n = i %% (SELECT count(*) FROM centres);
                    INSERT INTO visit_seen (visit_id, centre_id, visit_date, revision, retracted, seen_at)
                    SELECT visit_id, centre_id, visit_date, 1, false, now() FROM payout_line WHERE reason = 'bench';
                    UPDATE publish_cursor SET last_line_id = (SELECT max(line_id) FROM payout_line)
                    WHERE name = 'bhv.payouts.v1';
                    COMMIT;
                    VACUUM ANALYZE payout_line;
                    VACUUM ANALYZE visit_seen;
                    """.formatted(centre, JUNE_AT_ONE_CENTRE, LINES));
            psql(settings, data, "visit", """
                    INSERT INTO visit (visit_id, source_system, source_visit_id, centre_id, child_pseudonym, visit_date,
                                       revision, retracted, state, recorded_at, updated_at)
                    SELECT gen_random_uuid(), v.source_system, 'BENCH-' || i, v.centre_id, v.child_pseudonym,
                           DATE '2026-01-01' + (i %% 365), 1, false, v.state, now(), now()
                    FROM visit v CROSS JOIN generate_series(1, %d) AS i;
                    VACUUM ANALYZE visit;
                    """.formatted(VISITS));
            row("loading " + LINES + " lines and " + VISITS + " visits into PostgreSQL", seconds(start), "s");

            Map<String, Long> peakRss = new ConcurrentHashMap<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> SystemBenchmark.sampleRss(stack, peakRss, sampling));
            sampler.start();
            String firstLine = given().get(compensation + "/api/v1/payout-lines?after=0&limit=1").then().statusCode(200)
                    .extract().jsonPath().getString("lines[0].lineId");
            Map<String, String> reads = new java.util.LinkedHashMap<>();
            reads.put("the month's statements (GET /api/v1/payouts?period=2026-06)",
                    compensation + "/api/v1/payouts?period=2026-06");
            reads.put("one centre's June with " + JUNE_AT_ONE_CENTRE + " lines (GET /api/v1/payouts/{centre}/2026-06)",
                    compensation + "/api/v1/payouts/" + centre + "/2026-06");
            reads.put("reconciliation of June (GET /api/v1/reconciliation?period=2026-06)",
                    compensation + "/api/v1/reconciliation?period=2026-06");
            reads.put("a page of the finance feed from the middle (limit 500)",
                    compensation + "/api/v1/payout-lines?after=" + (Long.parseLong(firstLine) + LINES / 2) + "&limit=500");
            reads.put("a centre's visits, page 0 of 100 (GET /api/v1/visits?centreId=...)",
                    visitService + "/api/v1/visits?centreId=" + centre + "&from=2026-01-01&to=2026-12-31&size=100");
            reads.put("all visits, page 0 of 100", visitService + "/api/v1/visits?from=2026-01-01&to=2026-12-31&size=100");
            reads.put("all visits, page 1 000 of 100", visitService
                    + "/api/v1/visits?from=2026-01-01&to=2026-12-31&size=100&page=1000");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (Map.Entry<String, String> read : reads.entrySet()) {
                long slowest = 0;
                long bytes = 0;
                int status = 0;
                for (int i = 0; i < 3; i++) {
                    long t = System.nanoTime();
                    HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(read.getValue()))
                            .header("Authorization", TestTokens.current()).timeout(Duration.ofMinutes(5)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    try (java.io.InputStream body = response.body()) {
                        bytes = body.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                    status = response.statusCode();
                    slowest = Math.max(slowest, System.nanoTime() - t);
                }
                row(read.getKey() + ": slowest of 3, " + (bytes / 1024) + " kB, status " + status, slowest / 1e6, "ms");
            }
            sampling.set(false);
            sampler.join();
            for (String service : List.of("visit-service", "compensation-service")) {
                row(service + ": peak RSS during the reads", peakRss.getOrDefault(service, 0L) / 1024.0, "MB");
            }
        }
        System.out.println("\nBENCH | figure | value | unit |\nBENCH |---|---:|---|");
        table.forEach(line -> System.out.println("BENCH " + line));
    }

    private void row(String figure, double value, String unit) {
        table.add(String.format(java.util.Locale.ROOT, "| %s | %.1f | %s |", figure, value, unit));
    }

    private static double seconds(long from) {
        return (System.nanoTime() - from) / 1e9;
    }

    private static void psql(StackSettings settings, Path data, String database, String sql) throws Exception {
        Path script = Files.createTempFile(data, "load", ".sql");
        Files.writeString(script, sql);
        String out = SystemBenchmark.run(SystemBenchmark.pgEnvironment(settings.postgresPort(), database), "psql",
                "-v", "ON_ERROR_STOP=1", "-q", "-f", script.toString());
        if (out.contains("ERROR")) {
            throw new IllegalStateException("loading " + database + " failed: " + out);
        }
    }
}
