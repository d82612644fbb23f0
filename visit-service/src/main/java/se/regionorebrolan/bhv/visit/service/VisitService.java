package se.regionorebrolan.bhv.visit.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.visit.model.OutboxEvent;
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
import java.util.UUID;

/** Records visits: the visit row and its event in the outbox are one transaction. */
@ApplicationScoped
public class VisitService {

    /** "Today" is the Swedish calendar day: a visit at 00:30 in Örebro is not in the future. */
    static final ZoneId SWEDEN = ZoneId.of("Europe/Stockholm");
    private static final String EVENT_SOURCE = "/visit-service";

    private final Pseudonymizer pseudonymizer;

    public VisitService(Pseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
    }

    /** The outcome of a POST: the stored visit, and whether this call created it. */
    public record Recorded(VisitData visit, boolean created) {
    }

    /** Validates and pseudonymises; throws {@link InvalidVisitException} before anything is touched. */
    public VisitData prepare(VisitRequest request) {
        return VisitValidator.validate(request, LocalDate.now(SWEDEN), pseudonymizer::pseudonym);
    }

    /**
     * Stores a new visit and its {@code VisitRecorded} event, or answers the stored one when the same source key
     * comes again with the same content. Other content under the same key is a conflict.
     */
    @WithTransaction
    public Uni<Recorded> record(VisitData content) {
        String hash = contentHash(content);
        return Visit.findBySourceKey(content.sourceSystem(), content.sourceVisitId()).flatMap(existing -> {
            if (existing != null) {
                if (!existing.contentHash.equals(hash)) {
                    throw new VisitConflictException(existing.visitId.toString());
                }
                return Uni.createFrom().item(new Recorded(stateOf(existing), false));
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            UUID visitId = UUID.randomUUID();
            VisitData visit = withIdentity(content, visitId, 1);
            Visit row = new Visit();
            row.visitId = visitId;
            row.sourceSystem = visit.sourceSystem();
            row.sourceVisitId = visit.sourceVisitId();
            row.centreId = visit.centreId();
            row.childPseudonym = visit.childPseudonym();
            row.visitDate = visit.visitDate();
            row.revision = visit.revision();
            row.contentHash = hash;
            row.state = EventCodec.json(visit);
            row.recordedAt = now;
            row.updatedAt = now;
            CloudEvent event = EventCodec.envelope(EventType.VISIT_RECORDED, EVENT_SOURCE, visitId.toString(), now, visit);
            return row.<Visit>persist()
                    .chain(() -> OutboxEvent.of(visitId, event).persist())
                    .replaceWith(new Recorded(visit, true));
        });
    }

    @WithSession
    public Uni<VisitData> find(UUID visitId) {
        return Visit.<Visit>findById(visitId).map(row -> row == null ? null : stateOf(row));
    }

    private static VisitData stateOf(Visit row) {
        return EventCodec.fromJson(row.state, VisitData.class);
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
