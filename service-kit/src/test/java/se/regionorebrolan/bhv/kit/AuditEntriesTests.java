package se.regionorebrolan.bhv.kit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuditEntriesTests {

    @Path("/api/v1/visits")
    static class Visits {
        @GET
        @Path("/{visitId}")
        public void one() {
        }

        @GET
        public void list() {
        }
    }

    @Test
    void theActionIsTheRouteTemplateNeverThePath() throws Exception {
        assertEquals("GET /api/v1/visits/{visitId}",
                AuditEntries.action("GET", Visits.class, Visits.class.getMethod("one")));
        assertEquals("GET /api/v1/visits", AuditEntries.action("GET", Visits.class, Visits.class.getMethod("list")));
        assertEquals("GET (no endpoint)", AuditEntries.action("GET", null, null));
    }

    @Test
    void onlyIdentifiersOfAKnownShapeAreKeptAndNeverAPersonalNumber() {
        assertEquals(List.of("12", "2026", "2026-03", "8e0f3c52-1b4a-4d1c-9f8e-2a7b6c5d4e3f", "SE2321000164-E000000000001"),
                AuditEntries.safeIds(List.of("SE2321000164-E000000000001", "8e0f3c52-1b4a-4d1c-9f8e-2a7b6c5d4e3f",
                        "2026-03", "2026", "12", "12",
                        "202601152388", "20260115-2388", "2601152388",          // personal numbers in any form
                        "Barnet Kalle", "2026-13", "SE-unknown", "../../etc", "")));
    }

    @Test
    void anonymousRequestsAreCountedPerWindowNotRecordedOneByOne() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
        AnonymousTally tally = new AnonymousTally(Duration.ofMinutes(1), now::get);
        for (int i = 0; i < 1000; i++) {
            assertEquals(List.of(), tally.add("GET /api/v1/visits/{visitId}", 401));
        }
        assertEquals(List.of(), tally.add("GET (no endpoint)", 401));
        now.set(now.get().plusSeconds(61));
        assertEquals(List.of(
                        new AnonymousTally.Entry("GET (no endpoint)", 401, 1, Instant.parse("2026-12-01T10:00:00Z")),
                        new AnonymousTally.Entry("GET /api/v1/visits/{visitId}", 401, 1001,
                                Instant.parse("2026-12-01T10:00:00Z"))),
                tally.add("GET /api/v1/visits/{visitId}", 401));
        assertEquals(List.of(), tally.add("GET /api/v1/visits/{visitId}", 401), "a new window");
        AnonymousTally immediate = new AnonymousTally(Duration.ZERO, now::get);
        assertEquals(1, immediate.add("POST /api/v1/visits", 401).size(), "a zero window writes every request");
    }
}
