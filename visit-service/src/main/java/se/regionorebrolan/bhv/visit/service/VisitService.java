package se.regionorebrolan.bhv.visit.service;

import se.regionorebrolan.bhv.kit.FieldError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.IdentityNumbers;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;
import se.regionorebrolan.bhv.visit.model.KnownCentre;
import se.regionorebrolan.bhv.visit.model.OutboxEvent;
import se.regionorebrolan.bhv.kit.TraceContext;
import se.regionorebrolan.bhv.kit.Reasons;
import se.regionorebrolan.bhv.visit.model.Visit;
import se.regionorebrolan.bhv.visit.rest.VisitRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Records, corrects and retracts visits. Every change and its event in the outbox are one transaction; a change
 * that changes nothing publishes nothing.
 */
@ApplicationScoped
public class VisitService {

    /** "Today" is the Swedish calendar day: a visit at 00:30 in Örebro is not in the future. */
    static final ZoneId SWEDEN = ZoneId.of("Europe/Stockholm");
    private static final String EVENT_SOURCE = "/visit-service";
    /**
     * A retraction reason is free text from the EHR: it must not smuggle a personal identity number downstream, and
     * has no use for long digit runs either (a number written in some other way).
     */

    private final Pseudonymizer pseudonymizer;
    private final Pool pool;

    public VisitService(Pseudonymizer pseudonymizer, Pool pool) {
        this.pseudonymizer = pseudonymizer;
        this.pool = pool;
    }

    /** The outcome of a write: the stored visit, and whether this call changed anything (and so published). */
    public record Outcome(StoredVisit visit, boolean changed) {
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
     * comes again with the same content. Other content under the same key is a conflict.
     */
    public Uni<Outcome> record(VisitData content) {
        return recordAll(List.of(content)).map(outcomes -> {
            Object outcome = outcomes.get(0);
            if (outcome instanceof RuntimeException e) {
                throw e;
            }
            return (Outcome) outcome;
        });
    }

    /**
     * Records many visits, in order, each with its own answer: an {@link Outcome}, or the
     * {@link VisitConflictException} or {@link InvalidVisitException} (unknown centre) that a single POST would
     * have answered. All new visits and their events are one statement, so one transaction: every visit with its
     * event, or nothing. A source key that comes twice is answered for its second time after the first is stored.
     */
    public Uni<List<Object>> recordAll(List<VisitData> contents) {
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
        return recordDistinct(first).chain(firstOutcomes -> {
            if (again.isEmpty()) {
                return Uni.createFrom().item(firstOutcomes);
            }
            return recordAll(again.stream().map(contents::get).toList()).map(againOutcomes -> {
                List<Object> all = new ArrayList<>(contents.size());
                int f = 0;
                int a = 0;
                for (int i = 0; i < contents.size(); i++) {
                    all.add(a < again.size() && again.get(a) == i ? againOutcomes.get(a++) : firstOutcomes.get(f++));
                }
                return all;
            });
        });
    }

    /** Runs the statement that records visits, with none to record: the first real visit is then fast. */
    public Uni<Void> warmUp() {
        return recordAll(List.of()).replaceWithVoid();
    }

    /** {@link #recordAll} for visits with distinct source keys. */
    private Uni<List<Object>> recordDistinct(List<VisitData> contents) {
        Instant now = now();
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        int n = contents.size();
        VisitData[] visits = new VisitData[n];
        UUID[] visitIds = new UUID[n];
        UUID[] eventIds = new UUID[n];
        LocalDate[] visitDates = new LocalDate[n];
        String[] systems = new String[n], sourceIds = new String[n], centres = new String[n],
                pseudonyms = new String[n], hashes = new String[n], states = new String[n], payloads = new String[n];
        for (int i = 0; i < n; i++) {
            visitIds[i] = UUID.randomUUID();
            hashes[i] = contentHash(contents.get(i));
            visits[i] = withIdentity(contents.get(i), visitIds[i], 1);
            CloudEvent event = EventCodec.envelope(EventType.VISIT_RECORDED, EVENT_SOURCE, visitIds[i].toString(), now,
                    visits[i]);
            eventIds[i] = UUID.fromString(event.id());
            visitDates[i] = visits[i].visitDate();
            systems[i] = visits[i].sourceSystem();
            sourceIds[i] = visits[i].sourceVisitId();
            centres[i] = visits[i].centreId();
            pseudonyms[i] = visits[i].childPseudonym();
            states[i] = EventCodec.json(visits[i]);
            payloads[i] = EventCodec.write(event);
        }
        Tuple params = Tuple.from(List.of(visitIds, systems, sourceIds, centres, pseudonyms, visitDates, hashes,
                states, eventIds, payloads, at, EventType.VISIT_RECORDED.ceType()));
        params.addValue(TraceContext.traceParent());
        return pool.preparedQuery(INSERT_NEW).execute(params).chain(inserted -> {
            Set<UUID> inserts = new HashSet<>();
            inserted.forEach(row -> inserts.add(row.getUUID(0)));
            List<Integer> notStored = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!inserts.contains(visitIds[i])) {
                    notStored.add(i);
                }
            }
            Object[] outcomes = new Object[n];
            for (int i = 0; i < n; i++) {
                outcomes[i] = new Outcome(new StoredVisit(visits[i], false, null), true);
            }
            if (notStored.isEmpty()) {
                return Uni.createFrom().item(List.of(outcomes));
            }
            return existing(notStored.stream().map(contents::get).toList()).map(found -> {
                for (int i : notStored) {
                    VisitData content = contents.get(i);
                    Visit stored = found.existing().get(List.of(content.sourceSystem(), content.sourceVisitId()));
                    // not inserted and no visit under its key: its centre was not known when it was inserted
                    outcomes[i] = stored == null || found.unknownCentres().contains(content.centreId())
                            ? unknownCentre()
                            : unchangedOrConflict(stored, hashes[i]);
                }
                return List.of(outcomes);
            });
        });
    }

    /**
     * Inserts the new visits (whose centre is known and whose source key is not taken) and, for each of them, its
     * event into the outbox; answers the ids of the visits inserted. A key being inserted by another transaction
     * waits for it: it is then taken, or free again.
     */
    private static final String INSERT_NEW = """
            WITH input AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[],
                                     $7::text[], $8::text[], $9::uuid[], $10::text[])
                    AS t(visit_id, source_system, source_visit_id, centre_id, child_pseudonym, visit_date,
                         content_hash, state, event_id, payload)),
            visits AS (
                INSERT INTO visit (visit_id, source_system, source_visit_id, centre_id, child_pseudonym, visit_date,
                                   revision, content_hash, state, recorded_at, updated_at)
                SELECT visit_id, source_system, source_visit_id, centre_id, child_pseudonym, visit_date,
                       1, content_hash, state::jsonb, $11, $11
                FROM input WHERE EXISTS (SELECT 1 FROM known_centre k WHERE k.centre_id = input.centre_id)
                ON CONFLICT (source_system, source_visit_id) DO NOTHING
                RETURNING visit_id),
            events AS (
                INSERT INTO outbox_event (event_id, aggregate_id, event_type, payload, created_at, trace_parent)
                SELECT input.event_id, input.visit_id, $12, input.payload, $11, $13
                FROM input JOIN visits USING (visit_id))
            SELECT visit_id FROM visits
            """;

    /** What the visits that were not inserted met: the stored visits under their keys, and unknown centres. */
    private record Existing(Map<List<String>, Visit> existing, Set<String> unknownCentres) {
    }

    private Uni<Existing> existing(List<VisitData> contents) {
        String[] systems = contents.stream().map(VisitData::sourceSystem).toArray(String[]::new);
        String[] ids = contents.stream().map(VisitData::sourceVisitId).toArray(String[]::new);
        String[] centres = contents.stream().map(VisitData::centreId).distinct().toArray(String[]::new);
        return pool.preparedQuery("""
                        SELECT v.visit_id, v.source_system, v.source_visit_id, v.content_hash, v.state::text,
                               v.revision, v.retracted, v.retraction_reason
                        FROM visit v JOIN unnest($1::text[], $2::text[]) AS k(source_system, source_visit_id)
                          ON v.source_system = k.source_system AND v.source_visit_id = k.source_visit_id""")
                .execute(Tuple.of(systems, ids))
                .chain(rows -> pool.preparedQuery("SELECT centre_id FROM known_centre WHERE centre_id = ANY($1)")
                        .execute(Tuple.of((Object) centres)).map(known -> {
                            Map<List<String>, Visit> existing = new HashMap<>();
                            rows.forEach(row -> {
                                Visit visit = new Visit();
                                visit.visitId = row.getUUID("visit_id");
                                visit.contentHash = row.getString("content_hash");
                                visit.state = row.getString("state");
                                visit.revision = row.getInteger("revision");
                                visit.retracted = row.getBoolean("retracted");
                                visit.retractionReason = row.getString("retraction_reason");
                                existing.put(List.of(row.getString("source_system"), row.getString("source_visit_id")),
                                        visit);
                            });
                            Set<String> unknown = new HashSet<>(List.of(centres));
                            known.forEach(row -> unknown.remove(row.getString(0)));
                            return new Existing(existing, unknown);
                        }));
    }

    /** The same key again: the stored visit when the content is the same, a conflict otherwise. */
    private static Object unchangedOrConflict(Visit existing, String hash) {
        if (!existing.contentHash.equals(hash)) {
            return new VisitConflictException(existing.visitId.toString(), "A visit with this sourceSystem and "
                    + "sourceVisitId already exists with different content. Send a correction with PUT "
                    + "/api/v1/visits/" + existing.visitId + ".");
        }
        return new Outcome(stored(existing), false);
    }

    private static InvalidVisitException unknownCentre() {
        return new InvalidVisitException(List.of(new FieldError("centreId",
                "is not a centre in the registry (compensation-service, PUT /api/v1/centres/{centreId})")));
    }

    /** Replaces the content of a visit: a new revision and a {@code VisitCorrected} with the full new state. */
    @WithTransaction
    public Uni<Outcome> correct(UUID visitId, VisitData content) {
        return knownCentre(content).chain(() -> lockedVisit(visitId)).flatMap(row -> {
            if (row.retracted) {
                throw new VisitConflictException(visitId.toString(), "The visit was retracted and cannot be corrected.");
            }
            if (!row.sourceSystem.equals(content.sourceSystem()) || !row.sourceVisitId.equals(content.sourceVisitId())) {
                throw new VisitConflictException(visitId.toString(), "A correction keeps the visit's sourceSystem and "
                        + "sourceVisitId; post a new visit for another source key.");
            }
            String hash = contentHash(content);
            if (row.contentHash.equals(hash)) {
                return Uni.createFrom().item(new Outcome(stored(row), false));
            }
            Instant now = now();
            VisitData visit = apply(row, content, hash, row.revision + 1, now);
            return publish(visitId, EventType.VISIT_CORRECTED, visit, now).replaceWith(new Outcome(stored(row), true));
        });
    }

    /** Retracts a visit registered in error: a new revision and a {@code VisitRetracted} with the reason. */
    @WithTransaction
    public Uni<Outcome> retract(UUID visitId, String reason) {
        String problem = Reasons.problem(reason);
        if (problem != null) {
            throw new InvalidVisitException(List.of(new FieldError("reason", problem)));
        }
        return lockedVisit(visitId).flatMap(row -> {
            if (row.retracted) {
                return Uni.createFrom().item(new Outcome(stored(row), false));
            }
            Instant now = now();
            row.retracted = true;
            row.retractionReason = reason.strip();
            row.revision = row.revision + 1;
            row.updatedAt = now;
            VisitRetractedData data = new VisitRetractedData(visitId, row.revision, row.centreId, row.retractionReason);
            return publish(visitId, EventType.VISIT_RETRACTED, data, now).replaceWith(new Outcome(stored(row), true));
        });
    }

    @WithSession
    public Uni<StoredVisit> find(UUID visitId) {
        return Visit.<Visit>findById(visitId).map(row -> {
            if (row == null) {
                throw new VisitNotFoundException();
            }
            return stored(row);
        });
    }

    /** Visits of a centre (or all), by visit date within [from, to], newest first. */
    @WithSession
    public Uni<VisitPage> list(String centreId, LocalDate from, LocalDate to, int page, int size) {
        StringBuilder query = new StringBuilder("visitDate >= :from and visitDate <= :to");
        Parameters params = Parameters.with("from", from).and("to", to);
        if (centreId != null) {
            query.append(" and centreId = :centreId");
            params = params.and("centreId", centreId);
        }
        var found = Visit.<Visit>find(query + " order by visitDate desc, recordedAt desc", params);
        return found.page(Page.of(page, size)).list()
                .chain(rows -> found.count().map(total ->
                        new VisitPage(rows.stream().map(VisitService::stored).toList(), page, size, total)));
    }

    private static Uni<Void> knownCentre(VisitData content) {
        return KnownCentre.findById(content.centreId()).map(centre -> {
            if (centre == null) {
                throw unknownCentre();
            }
            return null;
        });
    }

    private static Uni<Visit> lockedVisit(UUID visitId) {
        return Visit.<Visit>findById(visitId, LockModeType.PESSIMISTIC_WRITE).map(row -> {
            if (row == null) {
                throw new VisitNotFoundException();
            }
            return row;
        });
    }

    /** Writes the content into the row as the given revision; answers the full state that the event carries. */
    private static VisitData apply(Visit row, VisitData content, String hash, int revision, Instant now) {
        VisitData visit = withIdentity(content, row.visitId, revision);
        row.sourceSystem = visit.sourceSystem();
        row.sourceVisitId = visit.sourceVisitId();
        row.centreId = visit.centreId();
        row.childPseudonym = visit.childPseudonym();
        row.visitDate = visit.visitDate();
        row.revision = revision;
        row.contentHash = hash;
        row.state = EventCodec.json(visit);
        row.updatedAt = now;
        return visit;
    }

    private static Uni<Void> publish(UUID visitId, EventType type, Object data, Instant now) {
        CloudEvent event = EventCodec.envelope(type, EVENT_SOURCE, visitId.toString(), now, data);
        return OutboxEvent.of(visitId, event, TraceContext.traceParent()).persist().replaceWithVoid();
    }

    private static StoredVisit stored(Visit row) {
        VisitData state = EventCodec.fromJson(row.state, VisitData.class);
        // the state JSON holds the content's revision; a retraction adds one more
        VisitData current = withIdentity(state, row.visitId, row.revision);
        return new StoredVisit(current, row.retracted, row.retractionReason);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static VisitData withIdentity(VisitData c, UUID visitId, int revision) {
        return new VisitData(visitId, revision, c.sourceSystem(), c.sourceVisitId(), c.centreId(), c.childPseudonym(),
                c.childBirthDate(), c.visitDate(), c.programSlot(), c.programSlotInferred(), c.participants(),
                c.kvaCodes(), c.referrals(), c.interpreterUsed(), c.riskFactors(), c.childPseudonymKeyId());
    }

    /** Identifies the content of a visit, independent of its id and revision: what "the same content" means. */
    static String contentHash(VisitData content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(EventCodec.json(withIdentity(content, null, 0)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
