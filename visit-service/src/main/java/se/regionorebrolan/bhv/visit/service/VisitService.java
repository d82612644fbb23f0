package se.regionorebrolan.bhv.visit.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;
import se.regionorebrolan.bhv.kit.AuditPolicy;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.kit.GroupedWrites;
import se.regionorebrolan.bhv.kit.OutboxRelay;
import se.regionorebrolan.bhv.kit.Reasons;
import se.regionorebrolan.bhv.kit.TraceContext;
import se.regionorebrolan.bhv.visit.domain.InvalidVisitException;
import se.regionorebrolan.bhv.visit.domain.Pseudonymizer;
import se.regionorebrolan.bhv.visit.domain.StoredVisit;
import se.regionorebrolan.bhv.visit.domain.VisitConflictException;
import se.regionorebrolan.bhv.visit.domain.VisitContent;
import se.regionorebrolan.bhv.visit.domain.VisitNotFoundException;
import se.regionorebrolan.bhv.visit.domain.VisitValidator;
import se.regionorebrolan.bhv.visit.repository.VisitRepository;
import se.regionorebrolan.bhv.visit.repository.VisitRepository.Visit;
import se.regionorebrolan.bhv.visit.rest.VisitRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Records, corrects and retracts visits. Every change and its event in the outbox are one transaction; a change
 * that changes nothing publishes nothing. Once a change is committed the outbox relay is woken to publish it.
 */
@ApplicationScoped
public class VisitService {

    /** "Today" is the Swedish calendar day: a visit at 00:30 in Örebro is not in the future. */
    static final ZoneId SWEDEN = ZoneId.of("Europe/Stockholm");
    private static final String EVENT_SOURCE = "/visit-service";

    /** At most as many single visits share one statement as a batch's chunk holds. */
    private static final int MAX_GROUP = 1000;

    private final Pseudonymizer pseudonymizer;
    private final VisitRepository repository;
    private final OutboxRelay relay;
    /** Single visits posted at the same moment: one statement and one commit for all of them. */
    private final GroupedWrites<VisitRepository.NewVisit, Boolean> singles;

    public VisitService(Pseudonymizer pseudonymizer, VisitRepository repository, OutboxRelay relay) {
        this.pseudonymizer = pseudonymizer;
        this.repository = repository;
        this.relay = relay;
        this.singles = new GroupedWrites<>(MAX_GROUP, GroupedWrites.UNDER_LOAD, group -> repository.insertNew(group)
                .map(inserted -> group.stream().map(v -> inserted.contains(v.visit().visitId())).toList()));
    }

    /** A page of visits. */
    public record VisitPage(List<StoredVisit> items, int page, int size, long total) {
    }

    /** Today on the Swedish calendar: what "in the future" and default date ranges are measured against. */
    public static LocalDate today() {
        return LocalDate.now(SWEDEN);
    }

    /** Validates and pseudonymises; throws {@link InvalidVisitException} before anything is touched. */
    public VisitData prepare(VisitRequest request) {
        return VisitValidator.validate(request, today(), pseudonymizer::pseudonym);
    }

    /**
     * Stores a new visit and its {@code VisitRecorded} event, or answers the stored one when the same source key
     * comes again with the same content. Other content under the same key is a conflict (409). {@code audit} (or
     * null) makes the audit record of the request from the new visit's id: it is committed with the visit, if the
     * visit is inserted.
     */
    public Uni<RecordResult.Recorded> record(VisitData content, Function<UUID, AuditPolicy.Row> audit) {
        return recordDistinct(List.of(content), audit).map(results -> {
            RecordResult result = results.get(0);
            if (result instanceof RecordResult.Conflict conflict) {
                throw new VisitConflictException(conflict.visitId().toString(), conflict.detail());
            }
            if (result instanceof RecordResult.Refused refused) {
                throw new InvalidVisitException(refused.errors());
            }
            return (RecordResult.Recorded) result;
        });
    }

    /**
     * Records many visits, in order, each with its own result. All new visits and their events are one statement,
     * so one transaction: every visit with its event, or nothing. A source key that comes twice is answered for its
     * second time after the first is stored.
     */
    public Uni<List<RecordResult>> recordAll(List<VisitData> contents) {
        List<VisitData> first = new ArrayList<>();
        List<Integer> again = new ArrayList<>();
        Set<List<String>> keys = new HashSet<>();
        for (int i = 0; i < contents.size(); i++) {
            VisitData content = contents.get(i);
            if (keys.add(List.of(content.sourceSystem(), content.sourceVisitId()))) {
                first.add(content);
            } else {
                again.add(i);
            }
        }
        return recordDistinct(first, null).chain(firstResults -> {
            if (again.isEmpty()) {
                return Uni.createFrom().item(firstResults);
            }
            return recordAll(again.stream().map(contents::get).toList()).map(againResults -> {
                List<RecordResult> all = new ArrayList<>(contents.size());
                int f = 0;
                int a = 0;
                for (int i = 0; i < contents.size(); i++) {
                    all.add(a < again.size() && again.get(a) == i ? againResults.get(a++) : firstResults.get(f++));
                }
                return all;
            });
        });
    }

    /** Runs the statement that records visits, with none to record: the first real visit is then fast. */
    public Uni<Void> warmUp() {
        return recordAll(List.of()).chain(() -> repository.find(new UUID(0, 0))).replaceWithVoid();
    }

    /**
     * {@link #recordAll} for visits with distinct source keys. The visits of one request are one statement; a single
     * visit shares its statement with the single visits of other requests posted at the same moment (each is
     * inserted or not on its own: a key taken or a centre unknown concerns only its visit).
     */
    private Uni<List<RecordResult>> recordDistinct(List<VisitData> contents, Function<UUID, AuditPolicy.Row> audit) {
        Instant now = now();
        String traceParent = TraceContext.traceParent();
        List<VisitRepository.NewVisit> visits = new ArrayList<>(contents.size());
        for (VisitData content : contents) {
            VisitData visit = VisitContent.withIdentity(content, UUID.randomUUID(), 1);
            visits.add(new VisitRepository.NewVisit(visit, event(EventType.VISIT_RECORDED, visit.visitId(), visit,
                    now), traceParent, audit == null ? null : audit.apply(visit.visitId())));
        }
        Uni<Set<UUID>> insert = visits.size() == 1
                ? singles.submit(visits.get(0)).map(inserted -> inserted ? Set.of(visits.get(0).visit().visitId())
                : Set.<UUID>of())
                : repository.insertNew(visits);
        return insert.chain(inserted -> {
            RecordResult[] results = new RecordResult[contents.size()];
            List<Integer> notStored = new ArrayList<>();
            for (int i = 0; i < contents.size(); i++) {
                if (inserted.contains(visits.get(i).visit().visitId())) {
                    results[i] = new RecordResult.Recorded(new StoredVisit(visits.get(i).visit(), false, null),
                            true);
                } else {
                    notStored.add(i);
                }
            }
            if (!inserted.isEmpty()) {
                relay.committed();
            }
            if (notStored.isEmpty()) {
                return Uni.createFrom().item(List.of(results));
            }
            return repository.existing(notStored.stream().map(contents::get).toList()).map(found -> {
                for (int i : notStored) {
                    VisitData content = contents.get(i);
                    Visit stored = found.byKey().get(List.of(content.sourceSystem(), content.sourceVisitId()));
                    // not inserted and no visit under its key: its centre was not known when it was inserted
                    results[i] = stored == null || found.unknownCentres().contains(content.centreId())
                            ? new RecordResult.Refused(unknownCentre().errors())
                            : sameOrConflict(stored, content);
                }
                return List.of(results);
            });
        });
    }

    /** The same key again: the stored visit when the content is the same, a conflict otherwise. */
    private static RecordResult sameOrConflict(Visit stored, VisitData content) {
        VisitData state = state(stored);
        if (!VisitContent.same(state, content)) {
            return new RecordResult.Conflict(stored.visitId(), "A visit with this sourceSystem and sourceVisitId"
                    + " already exists with different content. Send a correction with PUT /api/v1/visits/"
                    + stored.visitId() + ".");
        }
        return new RecordResult.Recorded(stored(stored, state), false);
    }

    private static InvalidVisitException unknownCentre() {
        return new InvalidVisitException(List.of(new FieldError("centreId",
                "is not a centre in the registry (compensation-service, PUT /api/v1/centres/{centreId})")));
    }

    /** Replaces the content of a visit: a new revision and a {@code VisitCorrected} with the full new state. */
    public Uni<RecordResult.Recorded> correct(UUID visitId, VisitData content) {
        return changed(repository.inTransaction(tx -> tx.centreKnown(content.centreId()).chain(known -> {
            if (!known) {
                throw unknownCentre();
            }
            return tx.lock(visitId);
        }).chain(row -> {
            Visit stored = existing(row);
            if (stored.retracted()) {
                throw new VisitConflictException(visitId.toString(), "The visit was retracted and cannot be corrected.");
            }
            if (!stored.sourceSystem().equals(content.sourceSystem())
                    || !stored.sourceVisitId().equals(content.sourceVisitId())) {
                throw new VisitConflictException(visitId.toString(), "A correction keeps the visit's sourceSystem and "
                        + "sourceVisitId; post a new visit for another source key.");
            }
            VisitData state = state(stored);
            if (VisitContent.same(state, content)) {
                return Uni.createFrom().item(new RecordResult.Recorded(stored(stored, state), false));
            }
            Instant now = now();
            VisitData visit = VisitContent.withIdentity(content, visitId, stored.revision() + 1);
            Visit corrected = new Visit(visitId, visit.sourceSystem(), visit.sourceVisitId(), visit.centreId(),
                    visit.childPseudonym(), visit.visitDate(), visit.revision(), EventCodec.json(visit),
                    false, null);
            return tx.update(corrected, event(EventType.VISIT_CORRECTED, visitId, visit, now))
                    .replaceWith(new RecordResult.Recorded(stored(corrected, visit), true));
        })));
    }

    /** Retracts a visit registered in error: a new revision and a {@code VisitRetracted} with the reason. */
    public Uni<RecordResult.Recorded> retract(UUID visitId, String reason) {
        String problem = Reasons.problem(reason);
        if (problem != null) {
            throw new InvalidVisitException(List.of(new FieldError("reason", problem)));
        }
        return changed(repository.inTransaction(tx -> tx.lock(visitId).chain(row -> {
            Visit stored = existing(row);
            if (stored.retracted()) {
                return Uni.createFrom().item(new RecordResult.Recorded(stored(stored), false));
            }
            Visit retracted = new Visit(visitId, stored.sourceSystem(), stored.sourceVisitId(), stored.centreId(),
                    stored.childPseudonym(), stored.visitDate(), stored.revision() + 1, stored.state(), true,
                    reason.strip());
            VisitRetractedData data = new VisitRetractedData(visitId, retracted.revision(), retracted.centreId(),
                    retracted.retractionReason());
            return tx.update(retracted, event(EventType.VISIT_RETRACTED, visitId, data, now()))
                    .replaceWith(new RecordResult.Recorded(stored(retracted), true));
        })));
    }

    public Uni<StoredVisit> find(UUID visitId) {
        return repository.find(visitId).map(row -> stored(existing(row)));
    }

    /** Visits of a centre (or all), by visit date within [from, to], newest first. */
    public Uni<VisitPage> list(String centreId, LocalDate from, LocalDate to, int page, int size) {
        return repository.list(centreId, from, to, page, size).map(found ->
                new VisitPage(found.rows().stream().map(VisitService::stored).toList(), page, size, found.total()));
    }

    /** Wakes the relay once a change is committed. */
    private Uni<RecordResult.Recorded> changed(Uni<RecordResult.Recorded> committed) {
        return committed.invoke(result -> {
            if (result.changed()) {
                relay.committed();
            }
        });
    }

    private static Visit existing(Visit row) {
        if (row == null) {
            throw new VisitNotFoundException();
        }
        return row;
    }

    private static CloudEvent event(EventType type, UUID visitId, Object data, Instant now) {
        return EventCodec.envelope(type, EVENT_SOURCE, visitId.toString(), now, data);
    }

    /** The stored content (its JSON holds the content's revision). */
    private static VisitData state(Visit row) {
        return EventCodec.fromJson(row.state(), VisitData.class);
    }

    private static StoredVisit stored(Visit row) {
        return stored(row, state(row));
    }

    /** The stored visit from its row and its state already read from the row. */
    private static StoredVisit stored(Visit row, VisitData state) {
        // the state JSON holds the content's revision; a retraction adds one more
        VisitData current = VisitContent.withIdentity(state, row.visitId(), row.revision());
        return new StoredVisit(current, row.retracted(), row.retractionReason());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
