package se.regionorebrolan.bhv.kit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Bounds the audit trail's noise from requests without a valid token (README, "Audit trail"): instead of a record
 * per request, their count per action and status over a window, written as one record with its number of
 * occurrences. The tally is bounded (one entry per route template and status, plus one for unmatched paths) and
 * handed out once its window has passed, with the request that finds it so. Thread-safe.
 */
public final class AnonymousTally {

    /** One aggregated record: so many requests to {@code action} answered {@code status} since {@code since}. */
    public record Entry(String action, int status, long occurrences, Instant since) {
    }

    private final Duration window;
    private final Supplier<Instant> clock;
    private Map<String, long[]> counts = new TreeMap<>();
    private Instant opened;

    public AnonymousTally(Duration window, Supplier<Instant> clock) {
        this.window = window;
        this.clock = clock;
        this.opened = clock.get();
    }

    /** Counts one request; answers the window's entries to write when it has passed (else nothing). */
    public synchronized List<Entry> add(String action, int status) {
        counts.computeIfAbsent(status + " " + action, k -> new long[1])[0]++;
        Instant now = clock.get();
        if (now.isBefore(opened.plus(window))) {
            return List.of();
        }
        List<Entry> due = new ArrayList<>();
        counts.forEach((key, n) -> {
            int space = key.indexOf(' ');
            due.add(new Entry(key.substring(space + 1), Integer.parseInt(key.substring(0, space)), n[0], opened));
        });
        counts = new TreeMap<>();
        opened = now;
        return due;
    }
}
