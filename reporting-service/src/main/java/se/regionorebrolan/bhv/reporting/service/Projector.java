package se.regionorebrolan.bhv.reporting.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.kit.KeyedBatch;
import se.regionorebrolan.bhv.kit.RecordOutcome;
import se.regionorebrolan.bhv.reporting.repository.ChildSummaryRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportCentreRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportCentreRepository.CentreState;
import se.regionorebrolan.bhv.reporting.repository.ReportPayoutRepository;
import se.regionorebrolan.bhv.reporting.repository.ReportVisitRepository;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.events.PayoutLineBookedData;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Applies a poll batch of events to the read models in one transaction, idempotently by what each event is, so a
 * redelivered event changes nothing: a visit keeps its highest revision (the same revision again, or an older one
 * arriving late, changes nothing; a retraction that overtakes the record leaves a tombstone); a payout line is kept
 * once by its id, and only a line kept now adds to the summary; a centre is the state written last (by its event's
 * time: an older state redelivered or replayed from the dead letters changes nothing). An event seen twice in one
 * batch is projected once. Batches are projected one at a time, whichever topic they come from (the projection lock,
 * {@link #lock}): under a burst the report then falls a little behind and catches up after it
 * (within a second in the benchmark; the target allows 10 s) instead of taking the cores from the payouts. The
 * children's summaries are not recomputed here: a batch marks its children due, and {@link ChildSummaries} brings them
 * up to date after the burst, and before any report.
 */
@ApplicationScoped
public class Projector {

    /** An event with its data, or why its record cannot be projected (for the dead-letter topic). */
    public record Incoming(CloudEvent event, Object data, String unreadable) {

        /** Reads a record of a topic that carries only the given event types. */
        public static Incoming read(byte[] record, Set<EventType> belongHere) {
            try {
                CloudEvent event = EventCodec.read(record);
                EventType type = event.eventType();
                if (!belongHere.contains(type)) {
                    throw new InvalidEventException(event.type() + " does not belong on this topic");
                }
                eventId(event);
                return new Incoming(event, Projector.data(event, type), null);
            } catch (InvalidEventException e) {
                return new Incoming(null, null, e.getMessage());
            } catch (RuntimeException e) {
                return new Incoming(null, null, "cannot be read: " + e.getClass().getSimpleName());
            }
        }
    }

    private static final Pattern PERIOD = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");

    /**
     * The projection lock, taken first by every projection batch of every topic (and every replica): one batch at a
     * time, so no deadlocks between batches, and the service's work under load is one transaction and one database
     * backend, not three side by side competing with the payout path for the cores (issue 18).
     */
    private static final long PROJECTION_LOCK = 0x5245504FL;

    private final Pool pool;
    private final ChildSummaries summaries;

    public Projector(Pool pool, ChildSummaries summaries) {
        this.pool = pool;
        this.summaries = summaries;
    }

    /** Projects the events; answers one outcome per event: projected (now or before), or refused with the reason. */
    public Uni<List<RecordOutcome>> project(List<Incoming> events) {
        List<RecordOutcome> reasons = new ArrayList<>(events.size());
        Map<UUID, Incoming> byId = new LinkedHashMap<>();
        for (Incoming incoming : events) {
            reasons.add(incoming.event() == null ? RecordOutcome.refused(incoming.unreadable())
                    : RecordOutcome.PROCESSED);
            if (incoming.event() != null) {
                byId.putIfAbsent(eventId(incoming.event()), incoming);
            }
        }
        if (byId.isEmpty()) {
            return Uni.createFrom().item(reasons);
        }
        List<Incoming> toProject = List.copyOf(byId.values());
        return pool.withTransaction(conn -> lock(conn).chain(() -> KeyedBatch.plan(conn))
                        .chain(() -> visits(conn, toProject))
                        .chain(() -> lines(conn, toProject)).chain(() -> centres(conn, toProject)))
                .invoke(() -> {
                    if (toProject.stream().anyMatch(i -> !(i.data() instanceof PayoutLineBookedData))) {
                        summaries.marked(); // visits or centres: children may have been marked due
                    }
                })
                .replaceWith(reasons);
    }

    /** Runs the projection's statements once with nothing to project: the first real batch is then fast. */
    public Uni<Void> warmUp() {
        return pool.withTransaction(conn -> KeyedBatch.plan(conn).chain(() -> visits(conn, List.of()))
                .chain(() -> lines(conn, List.of())).chain(() -> centres(conn, List.of())));
    }

    /** Takes the projection lock for the rest of the transaction. */
    static Uni<Void> lock(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(PROJECTION_LOCK)).replaceWithVoid();
    }

    private static UUID eventId(CloudEvent event) {
        try {
            return UUID.fromString(event.id());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventException("event id is not a UUID");
        }
    }

    private static Object data(CloudEvent event, EventType type) {
        return switch (type) {
            case VISIT_RECORDED, VISIT_CORRECTED -> {
                VisitData v = EventCodec.data(event, VisitData.class);
                if (v.visitId() == null || v.visitDate() == null || v.childPseudonym() == null || v.centreId() == null) {
                    throw new InvalidEventException("visit event lacks visitId, centreId, visitDate or childPseudonym");
                }
                yield v;
            }
            case VISIT_RETRACTED -> {
                VisitRetractedData r = EventCodec.data(event, VisitRetractedData.class);
                if (r.visitId() == null) {
                    throw new InvalidEventException("retraction lacks visitId");
                }
                yield r;
            }
            case PAYOUT_LINE_BOOKED -> {
                PayoutLineBookedData l = EventCodec.data(event, PayoutLineBookedData.class);
                if (l.centreId() == null || l.period() == null || !PERIOD.matcher(l.period()).matches()
                        || l.forPeriod() != null && !PERIOD.matcher(l.forPeriod()).matches()
                        || l.kind() == null || l.fundingSource() == null || l.amount() == null
                        || l.amount().scale() > 2) {
                    throw new InvalidEventException("payout line lacks centreId, period, kind, fundingSource or a"
                            + " two-decimal amount");
                }
                yield l;
            }
            case CENTRE_UPDATED -> {
                CentreData c = EventCodec.data(event, CentreData.class);
                if (c.centreId() == null || c.name() == null || c.municipality() == null
                        || c.compensationModel() == null) {
                    throw new InvalidEventException("centre event lacks centreId, name, municipality or model");
                }
                yield c;
            }
        };
    }

    /**
     * Each visit's latest event of the batch (highest revision) goes in one upsert that keeps the higher revision;
     * then every child whose visits changed (before or after) is marked due for its summaries
     * ({@link ChildSummaries}). Only a correction or a retraction can take a visit away from a child: a first revision finds either nothing stored, or itself
     * (redelivered: the same child), or a later revision, which the upsert keeps as it is — so only the other
     * events' visits are looked up for the child they had.
     */
    private static Uni<Void> visits(SqlConnection conn, List<Incoming> events) {
        Map<UUID, Object> latest = new LinkedHashMap<>();
        for (Incoming incoming : events) {
            if (incoming.data() instanceof VisitData v) {
                latest.merge(v.visitId(), v, (a, b) -> revision(b) > revision(a) ? b : a);
            } else if (incoming.data() instanceof VisitRetractedData r) {
                latest.merge(r.visitId(), r, (a, b) -> revision(b) > revision(a) ? b : a);
            }
        }
        if (latest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] changedIds = latest.entrySet().stream()
                .filter(e -> !(e.getValue() instanceof VisitData v && v.revision() == 1))
                .map(Map.Entry::getKey).toArray(UUID[]::new);
        String[] pseudonyms = latest.values().stream().filter(VisitData.class::isInstance)
                .map(v -> ((VisitData) v).childPseudonym()).distinct().toArray(String[]::new);
        Set<Integer> touched = new TreeSet<>();
        return ReportVisitRepository.childIds(conn, pseudonyms)
                .chain(childIds -> ReportVisitRepository.childrenOf(conn, changedIds).invoke(touched::addAll)
                        .chain(() -> ReportVisitRepository.upsert(conn, latest, childIds))
                        .invoke(() -> touched.addAll(childIds.values())))
                .chain(() -> ChildSummaryRepository.markDue(conn, touched.toArray(Integer[]::new)));
    }

    private static int revision(Object event) {
        return event instanceof VisitData v ? v.revision() : ((VisitRetractedData) event).revision();
    }

    private static Uni<Void> lines(SqlConnection conn, List<Incoming> events) {
        return ReportPayoutRepository.insert(conn, events.stream().map(Incoming::data)
                .filter(PayoutLineBookedData.class::isInstance).map(PayoutLineBookedData.class::cast).toList());
    }

    /**
     * Each centre's latest state of the batch, by the time compensation-service wrote it (of two with the same time,
     * the later in the partition); stored unless an even later one is (an older state replayed from the dead
     * letters or redelivered changes nothing). A centre that is new or moved to another municipality has its
     * children marked due (their municipality figures follow the registry).
     */
    private static Uni<Void> centres(SqlConnection conn, List<Incoming> events) {
        Map<String, CentreState> latest = new LinkedHashMap<>();
        for (Incoming incoming : events) {
            if (incoming.data() instanceof CentreData c) {
                latest.merge(c.centreId(), new CentreState(c, incoming.event().time()),
                        (stated, next) -> notOlder(next.time(), stated.time()) ? next : stated);
            }
        }
        if (latest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return ReportCentreRepository.upsert(conn, List.copyOf(latest.values())).chain(moved -> moved.length == 0
                ? Uni.createFrom().voidItem()
                : ChildSummaryRepository.markDueAt(conn, moved));
    }

    /** As the upsert of the centres decides: a time is not older than none, none is older than any time. */
    private static boolean notOlder(Instant next, Instant stated) {
        return stated == null || next != null && !next.isBefore(stated);
    }

}
