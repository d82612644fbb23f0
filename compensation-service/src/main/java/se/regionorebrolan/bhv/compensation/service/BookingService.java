package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.domain.CentreHistory;
import se.regionorebrolan.bhv.compensation.domain.UnbookableEventException;

import se.regionorebrolan.bhv.compensation.domain.VisitLedger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Books visit events, exactly once in effect, a batch at a time: the batch's lines, the visits seen and the record
 * of its processed events are one transaction, so a redelivered event id changes nothing. The rules are in
 * {@link VisitLedger}; this class loads what the ledger needs in a few queries and writes what it collected in a
 * few multi-row statements.
 */
@ApplicationScoped
public class BookingService {

    /**
     * Every transaction that books lines holds this advisory lock, and line ids are drawn under it, so ids are
     * committed in their order and the finance feed's cursor can never pass a line that commits later.
     */
    static final long FEED_LOCK = 0x46454544L;

    private static final String LINE_COLUMNS = "line_id, centre_id, period, for_period, kind, amount_ore, "
            + "funding_source, rule_set_id, reason, flags, visit_id, visit_revision, visit_date, child_pseudonym, "
            + "corrects_line_id, source_event_id, trace_parent, adjusted_kind";

    /**
     * An event to book with its data ({@link VisitLedger#data}), or why its record could not be read; and its W3C
     * trace context (or null).
     */
    public record Incoming(CloudEvent event, Object data, String unreadable, String traceParent) {

        /** Reads a record's event and data; an unreadable one is kept with the reason, for the dead-letter topic. */
        public static Incoming read(String record, String traceParent) {
            try {
                CloudEvent event = EventCodec.read(record);
                return new Incoming(event, VisitLedger.data(event), null, traceParent);
            } catch (InvalidEventException e) {
                return new Incoming(null, null, e.getMessage(), null);
            }
        }
    }

    private final Pool pool;

    public BookingService(Pool pool) {
        this.pool = pool;
    }

    /**
     * Books the events in their order, in one transaction. Answers one entry per event: null when it is booked (or
     * was before), else the reason it cannot be, for the dead-letter topic.
     */
    public Uni<List<String>> book(List<Incoming> events) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(FEED_LOCK))
                .chain(() -> load(conn, events))
                .chain(loaded -> {
                    List<String> reasons = new ArrayList<>();
                    List<UUID> processed = new ArrayList<>();
                    List<String> types = new ArrayList<>();
                    Set<UUID> done = new HashSet<>(loaded.processed());
                    for (Incoming incoming : events) {
                        reasons.add(apply(loaded.ledger(), incoming, done, processed, types));
                    }
                    return write(conn, loaded.ledger(), processed, types).replaceWith(reasons);
                }));
    }

    /** Loads the batch's state and runs nothing else: the first real batch after a start is then fast. */
    public Uni<Void> warmUp() {
        return book(List.of()).replaceWithVoid();
    }

    /** Takes the feed lock in a Hibernate Reactive transaction: for the other writers of lines. */
    static Uni<Void> lockFeed() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(" + FEED_LOCK + ")")
                        .getSingleResult())
                .replaceWithVoid();
    }

    private static String apply(VisitLedger ledger, Incoming incoming, Set<UUID> done, List<UUID> processed,
                                List<String> types) {
        if (incoming.event() == null) {
            return incoming.unreadable();
        }
        try {
            UUID id = VisitLedger.eventId(incoming.event());
            if (!done.add(id)) {
                return null; // booked before, or earlier in this batch
            }
            ledger.apply(incoming.event(), incoming.data(), incoming.traceParent());
            processed.add(id);
            types.add(incoming.event().type());
            return null;
        } catch (InvalidEventException e) { // and UnbookableEventException
            return e.getMessage();
        } catch (RuntimeException e) {
            // a bug, for this event only: it goes to the dead-letter topic and the others are booked
            return "cannot be booked: " + e.getClass().getSimpleName();
        }
    }

    private record Loaded(VisitLedger ledger, Set<UUID> processed) {
    }

    private static Uni<Loaded> load(SqlConnection conn, List<Incoming> events) {
        UUID[] eventIds = events.stream().map(BookingService::eventIdOrNull).filter(id -> id != null)
                .toArray(UUID[]::new);
        UUID[] visitIds = events.stream().map(BookingService::visitIdOrNull).filter(id -> id != null)
                .distinct().toArray(UUID[]::new);
        Set<UUID> processed = new HashSet<>();
        Map<UUID, VisitLedger.Seen> seen = new HashMap<>();
        Map<UUID, List<VisitLedger.Line>> lines = new HashMap<>();
        Map<String, CentreHistory> centres = new HashMap<>();
        List<VisitLedger.Rules> rules = new ArrayList<>();
        Set<String> closed = new HashSet<>();
        return conn.preparedQuery("SELECT event_id FROM processed_event WHERE event_id = ANY($1)")
                .execute(Tuple.of(eventIds))
                .invoke(rows -> rows.forEach(r -> processed.add(r.getUUID(0))))
                .chain(() -> conn.preparedQuery("SELECT visit_id, centre_id, visit_date, revision, retracted"
                        + " FROM visit_seen WHERE visit_id = ANY($1)").execute(Tuple.of(visitIds)))
                .invoke(rows -> rows.forEach(r -> seen.put(r.getUUID(0), new VisitLedger.Seen(r.getUUID(0),
                        r.getString(1), r.getLocalDate(2), r.getInteger(3), r.getBoolean(4)))))
                .chain(() -> conn.preparedQuery("SELECT " + LINE_COLUMNS + " FROM payout_line"
                                + " WHERE visit_id = ANY($1) ORDER BY line_id")
                        .execute(Tuple.of(seen.keySet().toArray(UUID[]::new))))
                .invoke(rows -> rows.forEach(r -> lines.computeIfAbsent(r.getUUID("visit_id"), v -> new ArrayList<>())
                        .add(line(r))))
                .chain(() -> CentreHistories.all(conn, false)).invoke(centres::putAll)
                .chain(() -> conn.query("SELECT valid_from, rule_set_id, joint_visit_ore, ordinary_visit_ore,"
                        + " required_kva_code FROM rule_set").execute())
                .invoke(rows -> rows.forEach(r -> rules.add(new VisitLedger.Rules(r.getLocalDate(0),
                        new Rates(r.getString(1), r.getLong(2), r.getLong(3), r.getString(4))))))
                .chain(() -> conn.query("SELECT period FROM closed_period").execute())
                .invoke(rows -> rows.forEach(r -> closed.add(r.getString(0))))
                .map(ignored -> new Loaded(new VisitLedger(seen, lines, centres, rules, closed), processed));
    }

    private static Uni<Void> write(SqlConnection conn, VisitLedger ledger, List<UUID> processed, List<String> types) {
        List<VisitLedger.Line> lines = ledger.newLines();
        List<VisitLedger.Seen> seen = ledger.newSeen();
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (!lines.isEmpty()) {
            chain = chain.chain(() -> conn.preparedQuery("SELECT nextval(pg_get_serial_sequence('payout_line',"
                            + " 'line_id')) FROM generate_series(1, $1)").execute(Tuple.of(lines.size())))
                    .chain(ids -> insertLines(conn, lines, ids));
        }
        if (!seen.isEmpty()) {
            chain = chain.chain(() -> conn.preparedQuery("""
                            INSERT INTO visit_seen (visit_id, centre_id, visit_date, revision, retracted, seen_at)
                            SELECT v, c, d, r, x, now() FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[],
                                                                    $5::bool[]) AS t(v, c, d, r, x)
                            ON CONFLICT (visit_id) DO UPDATE SET centre_id = EXCLUDED.centre_id,
                                visit_date = EXCLUDED.visit_date, revision = EXCLUDED.revision,
                                retracted = EXCLUDED.retracted, seen_at = EXCLUDED.seen_at""")
                    .execute(Tuple.of(
                            seen.stream().map(VisitLedger.Seen::visitId).toArray(UUID[]::new),
                            seen.stream().map(VisitLedger.Seen::centreId).toArray(String[]::new),
                            seen.stream().map(VisitLedger.Seen::visitDate).toArray(LocalDate[]::new),
                            seen.stream().map(VisitLedger.Seen::revision).toArray(Integer[]::new),
                            seen.stream().map(VisitLedger.Seen::retracted).toArray(Boolean[]::new)))
                    .replaceWithVoid());
        }
        if (!processed.isEmpty()) {
            chain = chain.chain(() -> conn.preparedQuery("INSERT INTO processed_event (event_id, event_type, processed_at)"
                            + " SELECT e, t, now() FROM unnest($1::uuid[], $2::text[]) AS x(e, t)")
                    .execute(Tuple.of(processed.toArray(UUID[]::new), types.toArray(String[]::new)))
                    .replaceWithVoid());
        }
        return chain;
    }

    /** Gives the ledger's lines the ids drawn under the lock, in their order, and inserts them in one statement. */
    private static Uni<Void> insertLines(SqlConnection conn, List<VisitLedger.Line> lines, RowSet<Row> drawn) {
        List<Long> ids = new ArrayList<>();
        drawn.forEach(r -> ids.add(r.getLong(0)));
        ids.sort(null);
        Map<Long, Long> real = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            real.put(lines.get(i).id(), ids.get(i));
        }
        int n = lines.size();
        Long[] lineId = new Long[n];
        Long[] corrects = new Long[n];
        String[] centre = new String[n], period = new String[n], forPeriod = new String[n], kind = new String[n],
                funding = new String[n], ruleSet = new String[n], reason = new String[n], flags = new String[n],
                pseudonym = new String[n], trace = new String[n], adjusted = new String[n];
        Long[] amount = new Long[n];
        UUID[] visit = new UUID[n], source = new UUID[n];
        Integer[] revision = new Integer[n];
        LocalDate[] visitDate = new LocalDate[n];
        for (int i = 0; i < n; i++) {
            VisitLedger.Line l = lines.get(i);
            lineId[i] = real.get(l.id());
            corrects[i] = l.correctsLineId() == null ? null : l.correctsLineId() < 0 ? real.get(l.correctsLineId())
                    : l.correctsLineId();
            centre[i] = l.centreId();
            period[i] = l.period();
            forPeriod[i] = l.forPeriod();
            kind[i] = l.kind();
            amount[i] = l.amountOre();
            funding[i] = l.fundingSource();
            ruleSet[i] = l.ruleSetId();
            reason[i] = l.reason();
            flags[i] = l.flags();
            visit[i] = l.visitId();
            revision[i] = l.visitRevision();
            visitDate[i] = l.visitDate();
            pseudonym[i] = l.childPseudonym();
            source[i] = l.sourceEventId();
            trace[i] = l.traceParent();
            adjusted[i] = l.adjustedKind();
        }
        return conn.preparedQuery("INSERT INTO payout_line (" + LINE_COLUMNS + ", booked_at) OVERRIDING SYSTEM VALUE"
                        + " SELECT *, now() FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],"
                        + " $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[], $12::int[],"
                        + " $13::date[], $14::text[], $15::bigint[], $16::uuid[], $17::text[], $18::text[])")
                .execute(Tuple.from(new Object[] {lineId, centre, period, forPeriod, kind, amount, funding, ruleSet,
                        reason, flags, visit, revision, visitDate, pseudonym, corrects, source, trace, adjusted}))
                .replaceWithVoid();
    }

    private static VisitLedger.Line line(Row r) {
        return new VisitLedger.Line(r.getLong("line_id"), r.getString("centre_id"), r.getString("period"),
                r.getString("for_period"), r.getString("kind"), r.getLong("amount_ore"), r.getString("funding_source"),
                r.getString("rule_set_id"), r.getString("reason"), r.getString("flags"), r.getUUID("visit_id"),
                r.getInteger("visit_revision") == null ? 0 : r.getInteger("visit_revision"), r.getLocalDate("visit_date"),
                r.getString("child_pseudonym"), r.getLong("corrects_line_id"), r.getUUID("source_event_id"),
                r.getString("trace_parent"), r.getString("adjusted_kind"));
    }

    private static UUID eventIdOrNull(Incoming incoming) {
        try {
            return incoming.event() == null ? null : VisitLedger.eventId(incoming.event());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static UUID visitIdOrNull(Incoming incoming) {
        if (incoming.data() instanceof VisitData visit) {
            return visit.visitId();
        }
        return incoming.data() instanceof VisitRetractedData retracted ? retracted.visitId() : null;
    }
}
