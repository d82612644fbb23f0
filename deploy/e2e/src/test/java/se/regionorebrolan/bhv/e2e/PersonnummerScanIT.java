package se.regionorebrolan.bhv.e2e;

import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.regionorebrolan.bhv.events.Topics;
import se.regionorebrolan.bhv.localstack.LocalStack;
import se.regionorebrolan.bhv.localstack.StackSettings;
import se.regionorebrolan.bhv.localstack.TopicProbe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No personnummer anywhere downstream: a workload with every kind of visit request (recorded, repeated, conflicting,
 * corrected, retracted, batched, and rejected for every reason) goes through the whole stack; then every record of
 * every topic (keys, values, headers), every log line of the three services, every row of the three databases,
 * every error body, every report and every audit trail is searched for the numbers, in all their written forms.
 */
class PersonnummerScanIT {

    private static final String CENTRE = "SE2321000164-E000000000001";

    @Test
    void noPersonnummerLeavesTheVisitServiceInClear(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("bhv.repo.root", "../..")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.onFreePorts(root, data);
        List<String> numbers = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(settings, System.out)) {
            String visits = stack.baseUrl("visit-service") + "/api/v1/visits";
            for (int i = 0; i < 12; i++) {
                String number = GrantSpendingIT.personnummer("2026011" + (i % 9 + 1), 100 + i);
                numbers.add(number);
                String body = visit("SCAN-" + i, number, i % 2 == 0);
                String id = given().contentType(ContentType.JSON).body(body).post(visits).then().statusCode(201)
                        .extract().path("visitId");
                answers.add(given().contentType(ContentType.JSON).body(body).post(visits).then().statusCode(200)
                        .extract().asString());
                answers.add(given().contentType(ContentType.JSON).body(body.replace("2026-03-16", "2026-03-17"))
                        .post(visits).then().statusCode(409).extract().asString());
                if (i % 3 == 0) {
                    answers.add(given().contentType(ContentType.JSON).body(visit("SCAN-" + i, number, true))
                            .put(visits + "/" + id).then().extract().asString());
                }
                if (i % 4 == 0) {
                    answers.add(given().delete(visits + "/" + id + "?reason=registered in error").then()
                            .extract().asString());
                }
                answers.add(given().get(visits + "/" + id).then().statusCode(200).extract().asString());
            }
            // rejected: wrong check digit, a child of 6 or more, the hyphenated and 10-digit forms with a wrong
            // digit; then a personnummer in an unknown field (ignored), in a retraction reason, and in a batch
            String wrong = numbers.get(0).substring(0, 11) + ((numbers.get(0).charAt(11) - '0' + 1) % 10);
            numbers.add(wrong);
            String old = GrantSpendingIT.personnummer("20180105", 321);
            numbers.add(old);
            for (String rejected : List.of(visit("BAD-1", wrong, true), visit("BAD-2", old, true),
                    visit("BAD-3", wrong.substring(2, 8) + "-" + wrong.substring(8), true),
                    visit("BAD-4", wrong.substring(2), true))) {
                answers.add(given().contentType(ContentType.JSON).body(rejected).post(visits).then().statusCode(400)
                        .extract().asString());
            }
            answers.add(given().contentType(ContentType.JSON).body(visit("EXTRA-1", numbers.get(1), true)
                    .replace("\"interpreterUsed\"", "\"childId\": \"" + numbers.get(1) + "\", \"interpreterUsed\""))
                    .post(visits).then().extract().asString());
            answers.add(given().delete(visits + "/00000000-0000-0000-0000-000000000000?reason=" + numbers.get(2))
                    .then().extract().asString());
            answers.add(given().contentType(ContentType.JSON).body("[" + visit("BATCH-1", numbers.get(3), true) + ","
                    + visit("BATCH-2", wrong, true) + "]").post(visits + "/batch").then().statusCode(200)
                    .extract().asString());

            // the downstream services have everything
            String compensation = stack.baseUrl("compensation-service");
            String reporting = stack.baseUrl("reporting-service");

            // the number through every free-text and identifier field of every API, in every written form, and
            // through URLs: refused (400, naming the field, never the value) or not found, and nowhere kept
            String typed = GrantSpendingIT.personnummer("20260119", 777);
            numbers.add(typed);
            List<String> forms = List.of(typed, typed.substring(0, 8) + "-" + typed.substring(8),
                    typed.substring(2, 8) + "+" + typed.substring(8), typed.substring(0, 8) + " " + typed.substring(8),
                    typed.substring(2, 8) + "." + typed.substring(8));
            String valid = visit("FIELDS-1", numbers.get(0), true);
            for (String form : forms) {
                for (String body : List.of(valid.replace("Örebro kommun", form),
                        valid.replace("Örebro kommun", "Socialtjänsten, barnet " + form),
                        valid.replace("SE2321000164-N0000001", form),
                        valid.replace("FIELDS-1", "ENC-" + form),
                        valid.replace("\"cosmic\"", "\"x" + form + "\""),
                        valid.replace("FIRST_TIME_PARENT", form))) {
                    answers.add(given().contentType(ContentType.JSON).body(body).post(visits).then()
                            .statusCode(org.hamcrest.Matchers.either(org.hamcrest.Matchers.is(400))
                                    .or(org.hamcrest.Matchers.is(403))).extract().asString());
                }
                String centrePut = "{\"name\": \"VC " + form + "\", \"municipality\": \"Örebro\","
                        + " \"compensationModel\": \"VARIABLE\", \"childCni\": 1.0, \"listedChildren0to5\": 10}";
                answers.add(given().contentType(ContentType.JSON).body(centrePut)
                        .put(compensation + "/api/v1/centres/SE2321000164-E000000000777").then().statusCode(400)
                        .extract().asString());
                for (String[] call : List.of(
                        new String[] {"PUT", "/api/v1/fixed-compensation/eligible-centres/SE2321000164-E000000000101",
                                "{\"source\": \"" + form + "\"}"},
                        new String[] {"POST", "/api/v1/centres/SE2321000164-E000000000101/fixed-applications",
                                "{\"receivedOn\": \"2026-01-02\", \"requestedFrom\": \"2026-02-01\","
                                        + " \"plannedUse\": \"" + form + "\"}"},
                        new String[] {"PUT", "/api/v1/fixed-compensation/2031",
                                "{\"amount\": \"1.00\", \"source\": \"" + form + "\"}"},
                        new String[] {"POST", "/api/v1/rule-sets", "{\"ruleSetId\": \"R9\", \"validFrom\": \"2030-01-01\","
                                + " \"jointVisit\": \"2500.00\", \"ordinaryVisit\": \"1800.00\","
                                + " \"requiredKvaCode\": \"ZV509\", \"cniThreshold\": 2, \"source\": \"" + form + "\"}"})) {
                    answers.add(given().contentType(ContentType.JSON).body(call[2])
                            .request(call[0], compensation + call[1]).then().statusCode(400).extract().asString());
                }
                for (String[] call : List.of(
                        new String[] {"PUT", "/api/v1/grants/2026",
                                "{\"amountReceived\": \"100.00\", \"projectCode\": \"P " + form + "\"}"},
                        new String[] {"POST", "/api/v1/grants/2026/costs", "{\"kind\": \"INVOICE\", \"reference\": \""
                                + form + "\", \"date\": \"2026-04-01\", \"amount\": \"10.00\"}"},
                        new String[] {"PUT", "/api/v1/reports/regional/2026/centres/SE2321000164-E000000000101/narrative",
                                "{\"formAndContent\": \"Barnet " + form + "\", \"plannedDevelopment\": \"x\"}"})) {
                    answers.add(given().contentType(ContentType.JSON).body(call[2])
                            .request(call[0], reporting + call[1]).then().statusCode(400).extract().asString());
                }
            }
            for (String url : List.of(visits + "/" + typed, visits + "?centreId=" + typed,
                    compensation + "/api/v1/centres/" + typed, compensation + "/api/v1/payouts/" + typed + "/2026-03",
                    reporting + "/api/v1/reports/regional/2026/centres/" + typed,
                    reporting + "/api/v1/reports/socialstyrelsen/" + typed)) {
                answers.add(given().get(url).then().statusCode(org.hamcrest.Matchers.both(
                        org.hamcrest.Matchers.greaterThanOrEqualTo(400)).and(org.hamcrest.Matchers.lessThan(500)))
                        .extract().asString());
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (given().get(reporting + "/api/v1/reports/socialstyrelsen/2026").then().extract().jsonPath()
                    .getInt("results.overall.homeVisits") < 10 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            for (String url : List.of(reporting + "/api/v1/reports/socialstyrelsen/2026",
                    reporting + "/api/v1/reports/socialstyrelsen/2026?format=csv",
                    reporting + "/api/v1/reports/socialstyrelsen/2026/evidence",
                    reporting + "/api/v1/reports/regional/2026",
                    compensation + "/api/v1/payout-lines?after=0&limit=500",
                    compensation + "/api/v1/payouts/" + CENTRE + "/2026-03",
                    compensation + "/api/v1/reconciliation?period=2026-03",
                    stack.baseUrl("visit-service") + "/api/v1/audit?limit=1000",
                    compensation + "/api/v1/audit?limit=1000", reporting + "/api/v1/audit?limit=1000",
                    visits + "?centreId=" + CENTRE + "&from=2026-01-01&to=2026-12-31")) {
                io.restassured.response.Response response = given().get(url);
                assertEquals(200, response.statusCode(), url);
                answers.add(response.asString());
            }
            List<String> found = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                scan(found, "answer " + i, answers.get(i), numbers);
            }
            for (Topics.Spec topic : Topics.ALL) {
                for (ConsumerRecord<String, String> r : TopicProbe.read(stack.kafkaBootstrapServers(), topic.name(),
                        records -> false, Duration.ofSeconds(2))) {
                    StringBuilder text = new StringBuilder(r.key() + " " + r.value());
                    for (Header h : r.headers()) {
                        text.append(' ').append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8));
                    }
                    scan(found, topic.name(), text.toString(), numbers);
                }
            }
            for (String db : List.of("visit", "compensation", "reporting")) {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                        + settings.postgresPort() + "/" + db, "postgres", "trust")) {
                    ResultSet tables = c.createStatement().executeQuery("SELECT tablename FROM pg_tables"
                            + " WHERE schemaname = 'public'");
                    List<String> names = new ArrayList<>();
                    while (tables.next()) {
                        names.add(tables.getString(1));
                    }
                    for (String table : names) {
                        ResultSet rows = c.createStatement().executeQuery("SELECT t::text FROM " + table + " t");
                        while (rows.next()) {
                            scan(found, db + "." + table, rows.getString(1), numbers);
                        }
                    }
                }
            }
            assertTrue(answers.size() > 40, "the workload ran");
            assertEquals(List.of(), found);
        }
        // the logs, after the services have stopped
        List<String> found = new ArrayList<>();
        try (Stream<Path> logs = Files.list(data.resolve("logs"))) {
            for (Path log : logs.toList()) {
                scan(found, log.getFileName().toString(), Files.readString(log), numbers);
            }
        }
        assertEquals(List.of(), found);
    }

    private static String visit(String source, String personnummer, boolean joint) {
        return WalkingSkeletonIT.README_VISIT.replace("ENC-2026-000123", source)
                .replace("202601152388", personnummer)
                .replace(joint ? "\u0000" : "\"ZV509\"", "");
    }

    /** Each number in its written forms: 12 digits, 10 digits, and both with "-", "+", a space or ".". */
    private static void scan(List<String> found, String where, String text, List<String> numbers) {
        if (text == null) {
            return;
        }
        for (String n : numbers) {
            List<String> forms = new ArrayList<>(List.of(n, n.substring(2)));
            for (String separator : List.of("-", "+", " ", ".")) {
                forms.add(n.substring(2, 8) + separator + n.substring(8));
                forms.add(n.substring(0, 8) + separator + n.substring(8));
            }
            for (String form : forms) {
                if (text.contains(form)) {
                    found.add(where + " holds a personnummer (" + form.length() + " characters)");
                }
            }
        }
    }
}
