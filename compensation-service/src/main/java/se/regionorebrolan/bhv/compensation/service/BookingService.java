package se.regionorebrolan.bhv.compensation.service;


import se.regionorebrolan.bhv.compensation.repository.CentreRepository;
import se.regionorebrolan.bhv.compensation.domain.CentreHistory;
import se.regionorebrolan.bhv.compensation.domain.UnbookableEventException;

import se.regionorebrolan.bhv.compensation.domain.PayoutLine;
import se.regionorebrolan.bhv.compensation.domain.VisitLedger;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.compensation.repository.PeriodRepository;
import se.regionorebrolan.bhv.compensation.repository.RuleSetRepository;
import se.regionorebrolan.bhv.compensation.repository.VisitSeenRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;
import se.regionorebrolan.bhv.kit.KeyedBatch;
import se.regionorebrolan.bhv.kit.RecordOutcome;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Books visit events, exactly once in effect, a batch at a time: the batch's lines and the visits seen (each visit's
 * latest revision booked) are one transaction, and an event whose revision is not newer than the one seen books
 * nothing, so a redelivered event changes nothing (nor does an older revision arriving late). The rules are in
 * {@link VisitLedger}; this class loads what the ledger needs in a few queries and writes what it collected in a
 * few multi-row statements.
 */
@ApplicationScoped
public class BookingService {

    /**
     * An event to book with its data ({@link VisitLedger#data}), or why its record could not be read; and its W3C
     * trace context (or null).
     */
    public record Incoming(CloudEvent event, Object data, String unreadable, String traceParent) {

        /** Reads a record's event and data; an unreadable one is kept with the reason, for the dead-letter topic. */
        public static Incoming read(byte[] record, String traceParent) {
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
     * Books the events in their order, in one transaction. Answers one outcome per event: booked (now or before), or
     * refused with the reason it cannot be, for the dead-letter topic.
     */
    public Uni<List<RecordOutcome>> book(List<Incoming> events) {
        return pool.withTransaction(conn -> KeyedBatch.plan(conn).chain(() -> PayoutLineRepository.lockFeed(conn))
                .chain(() -> load(conn, events))
                .chain(ledger -> {
                    List<RecordOutcome> reasons = new ArrayList<>();
                    Set<UUID> done = new HashSet<>();
                    for (Incoming incoming : events) {
                        reasons.add(apply(ledger, incoming, done));
                    }
                    return write(conn, ledger).replaceWith(reasons);
                }));
    }

    /** Loads the batch's state and runs nothing else: the first real batch after a start is then fast. */
    public Uni<Void> warmUp() {
        return book(List.of()).replaceWithVoid();
    }

    private static RecordOutcome apply(VisitLedger ledger, Incoming incoming, Set<UUID> done) {
        if (incoming.event() == null) {
            return RecordOutcome.refused(incoming.unreadable());
        }
        try {
            UUID id = VisitLedger.eventId(incoming.event());
            if (done.add(id)) { // the same event twice in one batch is applied once
                ledger.apply(incoming.event(), incoming.data(), incoming.traceParent());
            }
            return RecordOutcome.PROCESSED;
        } catch (InvalidEventException e) { // and UnbookableEventException
            return RecordOutcome.refused(e.getMessage());
        } catch (RuntimeException e) {
            // a bug, for this event only: it goes to the dead-letter topic and the others are booked
            return RecordOutcome.refused("cannot be booked: " + e.getClass().getSimpleName());
        }
    }

    private static Uni<VisitLedger> load(SqlConnection conn, List<Incoming> events) {
        UUID[] visitIds = events.stream().map(BookingService::visitIdOrNull).filter(id -> id != null)
                .distinct().toArray(UUID[]::new);
        Map<UUID, VisitLedger.Seen> seen = new HashMap<>();
        Map<UUID, List<PayoutLine>> lines = new HashMap<>();
        Map<String, CentreHistory> centres = new HashMap<>();
        List<VisitLedger.Rules> rules = new ArrayList<>();
        Set<String> closed = new HashSet<>();
        return VisitSeenRepository.seen(conn, visitIds).invoke(seen::putAll)
                .chain(() -> PayoutLineRepository.ofVisits(conn, seen.keySet().toArray(UUID[]::new)))
                .invoke(lines::putAll)
                .chain(() -> CentreRepository.histories(conn, false)).invoke(centres::putAll)
                .chain(() -> RuleSetRepository.all(conn))
                .invoke(all -> all.forEach(r -> rules.add(new VisitLedger.Rules(r.validFrom(), r.rates()))))
                .chain(() -> PeriodRepository.closed(conn)).invoke(closed::addAll)
                .map(ignored -> new VisitLedger(seen, lines, centres, rules, closed));
    }

    private static Uni<Void> write(SqlConnection conn, VisitLedger ledger) {
        return PayoutLineRepository.book(conn, ledger.newLines())
                .chain(() -> VisitSeenRepository.save(conn, ledger.newSeen()));
    }

    private static UUID visitIdOrNull(Incoming incoming) {
        if (incoming.data() instanceof VisitData visit) {
            return visit.visitId();
        }
        return incoming.data() instanceof VisitRetractedData retracted ? retracted.visitId() : null;
    }
}
