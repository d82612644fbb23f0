package se.regionorebrolan.bhv.kit;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failure of ours is a 500; the database being away is a 503 with Retry-After, also when it is wrapped. */
class ProblemTests {

    private static PgException pg(String sqlState) {
        return new PgException("message", "ERROR", sqlState, null);
    }

    @Test
    void theDatabaseBeingAwayIsTold() {
        assertTrue(Problem.databaseAway(new ConnectException("Connection refused")));
        assertTrue(Problem.databaseAway(new ConnectTimeoutException("connect timed out")));
        assertTrue(Problem.databaseAway(new SocketException("Connection reset")));
        assertTrue(Problem.databaseAway(ClosedConnectionException.INSTANCE));
        assertTrue(Problem.databaseAway(pg("57P01"))); // terminating connection due to administrator command
        assertTrue(Problem.databaseAway(pg("57P03"))); // the database system is starting up
        assertTrue(Problem.databaseAway(pg("08006")));
        assertTrue(Problem.databaseAway(pg("53300"))); // too many connections
        assertTrue(Problem.databaseAway(new CompletionException(new IllegalStateException(
                new ConnectException("Connection refused")))));
    }

    @Test
    void aStatementRefusedForItsContentOrABugIsNot() {
        assertFalse(Problem.databaseAway(pg("23505"))); // unique violation
        assertFalse(Problem.databaseAway(pg("57014"))); // statement timeout: the statement, not the database
        assertFalse(Problem.databaseAway(pg("42P01")));
        assertFalse(Problem.databaseAway(new NullPointerException()));
        assertFalse(Problem.databaseAway(new IllegalStateException("x", new IllegalArgumentException())));
    }

    @Test
    void answersServiceUnavailableWithRetryAfterOrInternalServerError() {
        RestResponse<Problem> away = Problem.unexpected(new ConnectException("Connection refused"), "unused");
        assertEquals(503, away.getStatus());
        assertEquals("5", away.getHeaderString("Retry-After"));
        assertEquals("urn:bhv:problem:unavailable", away.getEntity().type());
        assertTrue(away.getEntity().detail().contains("again is safe"));
        RestResponse<Problem> bug = Problem.unexpected(new NullPointerException(), "The request could not be completed.");
        assertEquals(500, bug.getStatus());
        assertEquals("The request could not be completed.", bug.getEntity().detail());
    }
}
