package se.regionorebrolan.bhv.visit.audit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.kit.AuditPolicy;
import se.regionorebrolan.bhv.kit.AuditWriter;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.Tokens;
import se.regionorebrolan.bhv.visit.TestCentres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every read and write of visit data is in the append-only audit trail, with who, what, which ids and outcome. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
public class AuditTrailTest {

    private static final String CENTRE = "SE2321000164-E000000000001";

    @Test
    void readsWritesAndRefusalsAreRecorded() {
        TestCentres.register(CENTRE);
        Tokens tokens = TestInfrastructure.get().tokens();
        String visitId = given().contentType(ContentType.JSON).body("""
                        {"sourceSystem": "cosmic", "sourceVisitId": "AUDIT-1", "centreId": "%s",
                         "childPersonnummer": "202601152388", "visitDate": "2026-03-16",
                         "participants": [{"role": "BHV_NURSE"}]}""".formatted(CENTRE))
                .post("/api/v1/visits").then().statusCode(201).extract().path("visitId");
        given().get("/api/v1/visits/" + visitId).then().statusCode(200);
        given().header("Authorization", "Bearer " + tokens.mint("nurse-vc", List.of("centre"),
                "SE2321000164-E000000000999")).get("/api/v1/visits/" + visitId).then().statusCode(403);
        given().header("Authorization", "none").get("/api/v1/visits/" + visitId).then().statusCode(401);
        given().get("/api/v1/visits?centreId=" + CENTRE + "&from=2026-01-01&to=2026-12-31").then().statusCode(200);

        String admin = "Bearer " + tokens.mint("auditor", List.of("bhv-admin"), null);
        String body = given().header("Authorization", admin).get("/api/v1/audit?id=" + visitId).then()
                .statusCode(200).extract().asString();
        assertFalse(body.contains("2601152388"), "no personnummer in the audit trail");
        List<Map<String, Object>> events = JsonPath.from(body).getList("events");
        List<String> seen = events.stream().map(e -> e.get("actor") + " " + e.get("action") + " " + e.get("status"))
                .toList();
        assertTrue(seen.contains("test POST /api/v1/visits 201"), seen.toString());
        // a write is recorded a first time before it runs (status 0, "begun": its id is not known yet) ...
        given().queryParam("reason", "registered in error").delete("/api/v1/visits/" + visitId).then()
                .statusCode(200);
        List<Integer> retractions = given().header("Authorization", admin).queryParam("id", visitId)
                .queryParam("action", "DELETE /api/v1/visits/{visitId}").get("/api/v1/audit").then().statusCode(200)
                .extract().jsonPath().getList("events.status");
        assertEquals(List.of(0, 200), retractions.stream().sorted().toList());
        assertTrue(seen.contains("test GET /api/v1/visits/{visitId} 200"), seen.toString());
        assertTrue(seen.contains("nurse-vc GET /api/v1/visits/{visitId} 403"), seen.toString());
        assertTrue(seen.contains("test GET /api/v1/visits 200"), "a list names the visits it answered: " + seen);
        Map<String, Object> refused = events.stream().filter(e -> "nurse-vc".equals(e.get("actor"))).findFirst()
                .orElseThrow();
        assertEquals(List.of("centre"), refused.get("roles"));
        assertEquals("SE2321000164-E000000000999", refused.get("centre"));

        // requests without a valid token: tallied per window (in tests a window of 0: one row each), no ids kept
        List<Map<String, Object>> anonymous = given().header("Authorization", admin)
                .get("/api/v1/audit?actor=anonymous").then().statusCode(200).extract().jsonPath().getList("events");
        assertTrue(anonymous.stream().anyMatch(e -> "GET /api/v1/visits/{visitId}".equals(e.get("action"))
                && Integer.valueOf(401).equals(e.get("status")) && List.of().equals(e.get("ids"))
                && Integer.valueOf(1).equals(e.get("occurrences"))), anonymous.toString());

        // a personal number typed into a URL is never kept: the route template and validated ids only
        given().get("/api/v1/visits/20260115-2388").then().statusCode(404);
        given().get("/api/v1/visits?centreId=202601152388").then().statusCode(400)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("2601152388")));
        String after = given().header("Authorization", admin).get("/api/v1/audit?limit=20").then().statusCode(200)
                .extract().asString();
        assertFalse(after.contains("2601152388") || after.contains("260115-2388"), after);
        assertTrue(after.contains("\"GET (no endpoint)\"") || after.contains("GET /api/v1/visits/{visitId}"), after);

        given().header("Authorization", admin).get("/api/v1/audit?actor=nurse-vc&limit=1").then().statusCode(200)
                .extract().jsonPath().getList("events.actor").forEach(a -> assertEquals("nurse-vc", a));
        given().header("Authorization", admin).get("/api/v1/audit?from=yesterday").then().statusCode(400);
    }

    /**
     * A new visit posted alone is recorded in its own transaction (one record: 201 with its id, committed with the
     * visit, no "begun" record); the same visit again, another visit under its key and a visit refused are recorded
     * with their answers; and a visit whose record the database refuses is not stored either.
     */
    @Test
    void aNewVisitIsRecordedWithItsOwnTransaction() throws SQLException {
        TestCentres.register(CENTRE);
        Tokens tokens = TestInfrastructure.get().tokens();
        String ehr = "Bearer " + tokens.mint(Tokens.Spec.of("ehr-in-tx", List.of("ehr-integration"), null,
                java.time.Duration.ofHours(1)).sourceSystems(List.of("cosmic")));
        String visit = """
                {"sourceSystem": "cosmic", "sourceVisitId": "%s", "centreId": "%s",
                 "childPersonnummer": "202601152388", "visitDate": "2026-03-%d",
                 "participants": [{"role": "BHV_NURSE"}]}""";
        String visitId = given().header("Authorization", ehr).contentType(ContentType.JSON)
                .body(visit.formatted("AUDIT-TX-1", CENTRE, 16)).post("/api/v1/visits").then().statusCode(201)
                .extract().path("visitId");
        given().header("Authorization", ehr).contentType(ContentType.JSON)
                .body(visit.formatted("AUDIT-TX-1", CENTRE, 16)).post("/api/v1/visits").then().statusCode(200);
        given().header("Authorization", ehr).contentType(ContentType.JSON)
                .body(visit.formatted("AUDIT-TX-1", CENTRE, 17)).post("/api/v1/visits").then().statusCode(409);
        given().header("Authorization", ehr).contentType(ContentType.JSON)
                .body(visit.formatted("AUDIT-TX-2", "SE2321000164-E000000000404", 16)).post("/api/v1/visits").then()
                .statusCode(400);
        // a conflict and a refusal answer a problem, which names no visit
        assertEquals(List.of(visitId + " 201", visitId + " 200", " 409", " 400"), records("ehr-in-tx", POST));

        String jdbc = TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE);
        try (Connection c = DriverManager.getConnection(jdbc, PostgresServer.USER, "trust")) {
            assertEquals(List.of(true), writtenWithTheVisit("ehr-in-tx", 201, visitId),
                    "the record was written by the visit's transaction");
            c.createStatement().execute("CREATE FUNCTION refuse_tx_audit() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE EXCEPTION 'refused'; END $$");
            c.createStatement().execute("CREATE TRIGGER refuse_tx_audit BEFORE INSERT ON audit_event FOR EACH ROW"
                    + " WHEN (NEW.actor = 'ehr-in-tx') EXECUTE FUNCTION refuse_tx_audit()");
            try {
                given().header("Authorization", ehr).contentType(ContentType.JSON)
                        .body(visit.formatted("AUDIT-TX-3", CENTRE, 16)).post("/api/v1/visits").then().statusCode(500)
                        .contentType("application/problem+json");
            } finally {
                c.createStatement().execute("DROP TRIGGER refuse_tx_audit ON audit_event");
                c.createStatement().execute("DROP FUNCTION refuse_tx_audit()");
            }
            try (ResultSet stored = c.createStatement().executeQuery(
                    "SELECT count(*) FROM visit WHERE source_visit_id = 'AUDIT-TX-3'")) {
                stored.next();
                assertEquals(0, stored.getInt(1), "a visit whose record could not be written is not stored");
            }
        }
        assertEquals(4, records("ehr-in-tx", POST).size());
    }

    private static final String POST = "POST /api/v1/visits";

    /**
     * For each of the caller's records of this status that names only the visit, oldest first: whether the visit's
     * row as it is now was written by the same transaction.
     */
    public static List<Boolean> writtenWithTheVisit(String actor, int status, String visitId) throws SQLException {
        String jdbc = TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE);
        try (Connection c = DriverManager.getConnection(jdbc, PostgresServer.USER, "trust");
             java.sql.PreparedStatement query = c.prepareStatement("SELECT a.xmin::text = v.xmin::text"
                     + " FROM audit_event a JOIN visit v ON a.ids = ARRAY[v.visit_id::text]"
                     + " WHERE a.actor = ? AND a.status = ? AND v.visit_id = ?::uuid ORDER BY a.audit_id")) {
            query.setString(1, actor);
            query.setInt(2, status);
            query.setString(3, visitId);
            List<Boolean> same = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    same.add(rows.getBoolean(1));
                }
            }
            return same;
        }
    }

    /** The caller's records of the action, oldest first: "ids status". */
    public static List<String> records(String actor, String action) throws SQLException {
        String jdbc = TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE);
        try (Connection c = DriverManager.getConnection(jdbc, PostgresServer.USER, "trust");
             java.sql.PreparedStatement query = c.prepareStatement("SELECT array_to_string(ids, ','), status"
                     + " FROM audit_event WHERE actor = ? AND action = ? ORDER BY audit_id")) {
            query.setString(1, actor);
            query.setString(2, action);
            List<String> read = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    read.add(rows.getString(1) + " " + rows.getInt(2));
                }
            }
            return read;
        }
    }

    @Inject
    AuditWriter writer;

    /** Rows of one group are one statement: each keeps its own values, ids with quotes, commas or braces intact. */
    @Test
    void aGroupOfRowsIsWrittenAsItWasGiven() throws SQLException {
        String[] odd = {"a\"b", "c\\d", "e,f", "{g}", "NULL", " h "};
        writer.append(List.of(
                new AuditPolicy.Row("group-test", "r1", null, "GET /x", odd, 200, 1),
                new AuditPolicy.Row("group-test", "r2", "SE1", "POST /y", new String[0], 0, 1),
                new AuditPolicy.Row("group-test", "", null, "GET /z", new String[0], 401, 7))).await().indefinitely();
        String jdbc = TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE);
        try (Connection c = DriverManager.getConnection(jdbc, PostgresServer.USER, "trust");
             ResultSet rows = c.createStatement().executeQuery("SELECT roles, centre, action, ids, status, occurrences"
                     + " FROM audit_event WHERE actor = 'group-test' ORDER BY audit_id")) {
            List<String> read = new ArrayList<>();
            while (rows.next()) {
                read.add(String.join("|", rows.getString(1), String.valueOf(rows.getString(2)), rows.getString(3),
                        List.of((String[]) rows.getArray(4).getArray()).toString(), rows.getString(5),
                        rows.getString(6)));
            }
            assertEquals(List.of("r1|null|GET /x|" + List.of(odd) + "|200|1", "r2|SE1|POST /y|[]|0|1",
                    "|null|GET /z|[]|401|7"), read);
        }
    }

    @Test
    void theTrailIsAppendOnly() throws SQLException {
        given().get("/api/v1/visits?centreId=" + CENTRE).then().statusCode(200);
        String jdbc = TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE);
        try (Connection c = DriverManager.getConnection(jdbc, PostgresServer.USER, "trust")) {
            assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("UPDATE audit_event SET actor = 'x'"));
            assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("DELETE FROM audit_event"));
            assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("TRUNCATE audit_event"));
        }
    }

    /**
     * A request whose record the database refuses is answered 500 as problem+json, not with the framework's page
     * (the record is written by a response filter, after the answer was made; while the database is away it is a 503
     * with Retry-After — ChaosIT). Here a trigger refuses the records of one caller only.
     */
    @Test
    void aRecordThatCannotBeWrittenIsAProblemAnswer() throws SQLException {
        String jdbc = TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE);
        String refused = "Bearer " + TestInfrastructure.get().tokens().mint("audit-refused", List.of("bhv-admin"),
                null);
        try (Connection c = DriverManager.getConnection(jdbc, PostgresServer.USER, "trust")) {
            c.createStatement().execute("CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE EXCEPTION 'refused'; END $$");
            c.createStatement().execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_event FOR EACH ROW"
                    + " WHEN (NEW.actor = 'audit-refused') EXECUTE FUNCTION refuse_audit()");
            try {
                given().header("Authorization", refused).get("/api/v1/visits?centreId=" + CENTRE).then()
                        .statusCode(500).contentType("application/problem+json")
                        .body("status", org.hamcrest.Matchers.equalTo(500))
                        .body("detail", org.hamcrest.Matchers.containsString("audit record"));
            } finally {
                c.createStatement().execute("DROP TRIGGER refuse_audit ON audit_event");
                c.createStatement().execute("DROP FUNCTION refuse_audit()");
            }
        }
        given().header("Authorization", refused).get("/api/v1/visits?centreId=" + CENTRE).then().statusCode(200);
    }
}
