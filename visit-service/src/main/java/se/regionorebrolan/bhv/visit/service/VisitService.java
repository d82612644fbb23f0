package se.regionorebrolan.bhv.visit.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.events.VisitRetractedData;
import se.regionorebrolan.bhv.visit.model.KnownCentre;
import se.regionorebrolan.bhv.visit.model.OutboxEvent;
import se.regionorebrolan.bhv.visit.outbox.OutboxRelay;
import se.regionorebrolan.bhv.visit.model.Visit;
import se.regionorebrolan.bhv.visit.rest.VisitRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Records, corrects and retracts visits. Every change and its event in the outbox are one transaction; a change
 * that changes nothing publishes nothing.
 */
@ApplicationScoped
public class VisitService {

    /** "Today" is the Swedish calendar day: a visit at 00:30 in Örebro is not in the future. */
    static final ZoneId SWEDEN = ZoneId.of("Europe/Stockholm");
    private static final String EVENT_SOURCE = "/visit-service";
    /** A retraction reason is free text from the EHR: it must not smuggle a personal identity number downstream. */
    private static final Pattern DIGIT_RUN = Pattern.compile("\\d[\\d -]{8,}\\d");

    private final Pseudonymizer pseudonymizer;

    public VisitService(Pseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
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
    @WithTransaction
    public Uni<Outcome> record(VisitData content) {
        return recordInSession(content);
    }

    /**
     * Records many visits in one transaction, in order (for back-fills: one commit instead of one per visit). An
     * item's conflict or unknown centre is that item's answer (found before it writes anything) and does not stop
     * the others; any other failure rolls the whole chunk back. Each answer is an {@link Outcome} or the exception.
     */
    @WithTransaction
    public Uni<List<Object>> recordAll(List<VisitData> contents) {
        return Multi.createFrom().iterable(contents)
                .onItem().transformToUniAndConcatenate(content -> recordInSession(content).<Object>map(o -> o)
                        .onFailure(f -> f instanceof VisitConflictException || f instanceof InvalidVisitException)
                        .recoverWithItem(e -> e))
                .collect().asList();
    }

    private Uni<Outcome> recordInSession(VisitData content) {
        String hash = contentHash(content);
        return knownCentre(content).chain(() -> Visit.findBySourceKey(content.sourceSystem(), content.sourceVisitId()))
                .flatMap(existing -> {
            if (existing != null) {
                if (!existing.contentHash.equals(hash)) {
                    throw new VisitConflictException(existing.visitId.toString(), "A visit with this sourceSystem and "
                            + "sourceVisitId already exists with different content. Send a correction with PUT "
                            + "/api/v1/visits/" + existing.visitId + ".");
                }
                return Uni.createFrom().item(new Outcome(stored(existing), false));
            }
            Instant now = now();
            Visit row = new Visit();
            row.visitId = UUID.randomUUID();
            row.recordedAt = now;
            VisitData visit = apply(row, content, hash, 1, now);
            return row.<Visit>persist()
                    .chain(() -> publish(row.visitId, EventType.VISIT_RECORDED, visit, now))
                    .replaceWith(new Outcome(stored(row), true));
        });
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
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new InvalidVisitException(List.of(new FieldError("reason", "is required: at most 500 characters")));
        }
        if (DIGIT_RUN.matcher(reason).find()) {
            throw new InvalidVisitException(List.of(new FieldError("reason",
                    "must not contain long digit sequences (no personal identity numbers)")));
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
                throw new InvalidVisitException(List.of(new FieldError("centreId",
                        "is not a centre in the registry (compensation-service, PUT /api/v1/centres/{centreId})")));
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
        return OutboxEvent.of(visitId, event, OutboxRelay.traceParent()).persist().replaceWithVoid();
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
                c.kvaCodes(), c.referrals(), c.interpreterUsed(), c.riskFactors());
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
