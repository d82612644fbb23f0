package se.regionorebrolan.bhv.visit.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.kit.BodyBudget;
import se.regionorebrolan.bhv.localstack.PostgresServer;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;
import se.regionorebrolan.bhv.localstack.Tokens;
import se.regionorebrolan.bhv.visit.RawRequests;
import se.regionorebrolan.bhv.visit.TestCentres;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.LongPredicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Large request bodies share a budget (service-kit {@link BodyBudget}; 16 MB by default, as visit-service's largest
 * body): while one client uploads a back-fill of 16 700 000 bytes, another large body is refused with 429 and
 * Retry-After before it is read, and stores nothing (so is one without a declared length, in HTTP/1.1 chunks or HTTP/2
 * frames); a single visit goes on as usual; the place comes back when the
 * upload's connection closes, and the same large body is then recorded. An upload must keep coming (at least
 * {@code bhv.http.body-min-rate} after {@code bhv.http.body-grace}, 2 s in the tests): one that stalls is closed
 * (audited 408), and its place comes back without waiting for the connection's idle timeout.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class BodyBudgetTest {

    private static final int HELD = 16_700_000;

    @Inject
    BodyBudget budget;

    @Inject
    io.vertx.core.Vertx vertx;

    /** What service-kit logs (the problem answers) while a test runs. */
    private final List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.logging.Handler kitLog = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void centresAreRegistered() {
        TestCentres.register("SE2321000164-E000000000001");
        java.util.logging.Logger.getLogger("se.regionorebrolan.bhv.kit").addHandler(kitLog);
    }

    @org.junit.jupiter.api.AfterEach
    void stopListening() {
        java.util.logging.Logger.getLogger("se.regionorebrolan.bhv.kit").removeHandler(kitLog);
    }

    @Test
    void aLargeBodyBeyondTheBudgetIsTooManyRequestsUntilTheBudgetIsFree() throws Exception {
        String token = TestInfrastructure.get().tokens().mint(Tokens.Spec.of("cosmic", List.of("ehr-integration"),
                null, Duration.ofHours(1)).sourceSystems(List.of("cosmic")));
        // one real visit, padded with JSON whitespace to 100 000 bytes: large, and valid
        String visit = VisitResourceTest.visitJson(VisitResourceTest.uniqueSourceId("BIG-"), "202601152388", "");
        String batch = "[" + visit + " ".repeat(100_000 - visit.length() - 2) + "]";

        try (Socket upload = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port);
             Trickle trickle = new Trickle(upload.getOutputStream())) {
            OutputStream out = upload.getOutputStream();
            out.write(head("Authorization: Bearer " + token + "\r\nContent-Length: " + HELD + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write('[');
            out.flush();
            awaitInFlight(held -> held == HELD);
            // a slow upload that keeps coming (320 kB/s of JSON whitespace) holds its place
            trickle.start();

            given().contentType(ContentType.JSON).body(batch).post("/api/v1/visits/batch").then()
                    .statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", String.valueOf(BodyBudget.RETRY_AFTER_SECONDS))
                    .body("status", equalTo(429)).body("type", equalTo("urn:bhv:problem:busy"));
            // the token is checked first
            given().header("Authorization", "none").contentType(ContentType.JSON).body(batch)
                    .post("/api/v1/visits/batch").then().statusCode(401);
            // a body in chunks, without a length, counts as the largest there may be
            String chunked = RawRequests.answer(head("Authorization: Bearer " + token
                    + "\r\nTransfer-Encoding: chunked\r\n"));
            assertTrue(chunked.startsWith("HTTP/1.1 429"), chunked);
            // nor has a body sent in HTTP/2 frames without a length (h2c, prior knowledge)
            assertEquals(429, http2Status(token));
            // a single visit is small: not counted, never refused for the budget
            given().contentType(ContentType.JSON)
                    .body(VisitResourceTest.visitJson(VisitResourceTest.uniqueSourceId("SMALL-"), "202601152388", ""))
                    .post("/api/v1/visits").then().statusCode(201);
            assertTrue(budget.inFlight() == HELD, "only the upload holds the budget: " + budget.inFlight());
        }
        // the upload's connection closed: its place is given back, and the refused batch stored nothing before
        awaitInFlight(held -> held == 0);
        // a client that went away mid-body is no failure of ours: told at INFO, never an ERROR (nothing to do)
        awaitLogged(r -> r.getLevel().intValue() == java.util.logging.Level.INFO.intValue()
                && r.getMessage() != null && r.getMessage().contains("the client's connection ended"));
        assertTrue(logged.stream().noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()),
                "no ERROR for the upload that went away");
        given().contentType(ContentType.JSON).body(batch).post("/api/v1/visits/batch").then()
                .statusCode(200).body("items[0].status", equalTo(201));
        awaitInFlight(held -> held == 0);
    }

    @Test
    void anUploadThatStallsIsCutOffAndGivesItsPlaceBack() throws Exception {
        String token = TestInfrastructure.get().tokens().mint(Tokens.Spec.of("cosmic", List.of("ehr-integration"),
                null, Duration.ofHours(1)).sourceSystems(List.of("cosmic")));
        String sourceId = VisitResourceTest.uniqueSourceId("STALL-");
        String visit = VisitResourceTest.visitJson(sourceId, "202601152388", "");
        long started;
        String answer;
        try (Socket upload = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            upload.setSoTimeout(20_000);
            OutputStream out = upload.getOutputStream();
            out.write(head("Authorization: Bearer " + token + "\r\nContent-Length: " + HELD + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // 20 kB of the body arrive, then nothing
            out.write(("[" + " ".repeat(20_000)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            awaitInFlight(held -> held == HELD);
            started = System.nanoTime();
            // nothing more is sent: the service closes the connection (its answer could not reach a stalled client)
            answer = readUntilClosed(upload);
        }
        long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals("", answer);
        assertTrue(waited >= 1_000 && waited < 10_000, "cut off after the 2 s grace, not before: " + waited + " ms");
        awaitInFlight(held -> held == 0);
        // the answer is audited as the 408 it is, and an operator reads an INFO line, no ERROR
        awaitAudited408(1);
        awaitLogged(r -> r.getMessage() != null && r.getMessage().contains("too slow: cut off"));
        // an upload that stalls at its first byte, before the framework reads anything of it: audited 408 all the same
        try (Socket upload = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            upload.setSoTimeout(20_000);
            OutputStream out = upload.getOutputStream();
            out.write((head("Authorization: Bearer " + token + "\r\nContent-Length: " + HELD + "\r\n") + "[")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("", readUntilClosed(upload));
        }
        awaitAudited408(2);
        // over HTTP/2 (a body in frames, without a length: counted as the largest) likewise; only its stream ends
        assertThrows(java.util.concurrent.ExecutionException.class, () -> http2Status(token));
        awaitInFlight(held -> held == 0);
        awaitAudited408(3);
        assertTrue(logged.stream().noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()),
                "no ERROR for the uploads cut off");
        // the stalled back-fill stored nothing: a back-fill of the same visit is now admitted and recorded anew (201)
        given().contentType(ContentType.JSON).body("[" + visit + " ".repeat(100_000 - visit.length() - 2) + "]")
                .post("/api/v1/visits/batch").then().statusCode(200).body("items[0].status", equalTo(201));
        awaitInFlight(held -> held == 0);
        // one outcome per upload cut off: the framework's own failed read (20 kB case) was not recorded a second time
        assertEquals(3, audited408());
    }

    /** Waits until the audit trail holds {@code count} records of batches answered 408. */
    private static void awaitAudited408(int count) throws InterruptedException {
        await(() -> audited408() == count, () -> "audit records of batches answered 408: " + audited408()
                + ", expected " + count);
    }

    private static int audited408() {
        String jdbc = TestInfrastructure.get().postgres().jdbcUrl(RealInfrastructureResource.DATABASE);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbc, PostgresServer.USER, "trust");
             java.sql.ResultSet rows = c.createStatement().executeQuery("SELECT count(*) FROM audit_event"
                     + " WHERE actor = 'cosmic' AND action = 'POST /api/v1/visits/batch' AND status = 408")) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the server sent until it closed the connection (a reset counts as closed). */
    private static String readUntilClosed(Socket socket) throws IOException {
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                read.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed with unread data: a reset
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    /** Writes 32 kB of JSON whitespace every 100 ms once started, until closed. */
    private static final class Trickle implements AutoCloseable {
        private final OutputStream out;
        private final Thread writer;

        Trickle(OutputStream out) {
            this.out = out;
            this.writer = new Thread(this::run, "trickle");
            writer.setDaemon(true);
        }

        void start() {
            writer.start();
        }

        private void run() {
            byte[] spaces = " ".repeat(32 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    out.write(spaces);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException stopped) {
                // closed
            }
        }

        @Override
        public void close() throws InterruptedException {
            writer.interrupt();
            writer.join(5_000);
        }
    }

    /**
     * The status of a POST over HTTP/2 whose body (only its first byte is sent) has no declared length: 429 while the
     * budget is full; once admitted, its stream is reset after the grace (an ExecutionException).
     */
    private int http2Status(String token) throws Exception {
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        try {
            return client.request(io.vertx.core.http.HttpMethod.POST, RestAssured.port, "127.0.0.1",
                            "/api/v1/visits/batch")
                    .compose(request -> {
                        request.putHeader("Authorization", "Bearer " + token)
                                .putHeader("Content-Type", "application/json").setChunked(true);
                        request.write("[");
                        return request.response();
                    })
                    .map(io.vertx.core.http.HttpClientResponse::statusCode)
                    .toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    private static String head(String headers) {
        return "POST /api/v1/visits/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
                + "\r\n";
    }

    private void awaitLogged(java.util.function.Predicate<java.util.logging.LogRecord> expected)
            throws InterruptedException {
        await(() -> logged.stream().anyMatch(expected),
                () -> "not logged; logged: " + logged.stream().map(java.util.logging.LogRecord::getMessage).toList());
    }

    private void awaitInFlight(LongPredicate expected) throws InterruptedException {
        await(() -> expected.test(budget.inFlight()), () -> "large bodies in flight: " + budget.inFlight());
    }

    /** Looks every 20 ms for up to 10 s until the condition holds; else fails with what is seen then. */
    private static void await(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> seen)
            throws InterruptedException {
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < deadline; ) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        fail(seen.get());
    }
}
