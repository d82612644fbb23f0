package se.regionorebrolan.bhv.compensation.service;

import se.regionorebrolan.bhv.compensation.domain.CentreRules;

import se.regionorebrolan.bhv.compensation.domain.CentreHistory;
import se.regionorebrolan.bhv.compensation.domain.RefusedException;
import se.regionorebrolan.bhv.compensation.domain.SwedishCalendar;

import se.regionorebrolan.bhv.kit.InvalidRequestException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.domain.CompensationModel;
import se.regionorebrolan.bhv.compensation.domain.CentreRequest;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.kit.OutboxRelay;
import se.regionorebrolan.bhv.kit.Outbox;
import se.regionorebrolan.bhv.compensation.domain.Centre;
import se.regionorebrolan.bhv.compensation.repository.CentreRepository;
import se.regionorebrolan.bhv.compensation.repository.RuleSetRepository;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.IdentityNumbers;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The centre registry: who is paid, and by which model when. The model is not set by a PUT: a centre is on the fixed
 * model with extended resource only within an approved decision of the central child-health unit (seed 000), recorded
 * here with its application; a PUT may only state what the decisions say. The list of centres that may apply is data
 * the unit keeps. Every change settles the fixed compensation again ({@link FixedCompensationService}).
 */
@ApplicationScoped
public class CentreService {

    /** The outcome of a PUT: the centre, and whether it was new. */
    public record Saved(Centre centre, boolean created) {
    }

    /** How long a change of a centre waits for its event to be on the topic before it answers all the same. */
    private static final java.time.Duration PUBLISHED_WITHIN = java.time.Duration.ofSeconds(5);

    private final Pool pool;
    private final FixedCompensationService fixed;
    private final OutboxRelay outbox;

    public CentreService(Pool pool, FixedCompensationService fixed, OutboxRelay outbox) {
        this.pool = pool;
        this.fixed = fixed;
        this.outbox = outbox;
    }

    public Uni<Saved> put(String centreId, CentreRequest request) {
        List<FieldError> errors = CentreRules.validate(centreId, request);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        LocalDate figuresFrom = request.figuresValidFrom() != null ? request.figuresValidFrom()
                : YearMonth.from(SwedishCalendar.today()).atDay(1);
        return pool.withTransaction(conn -> CentreRepository.lock(conn, centreId)
                .chain(() -> CentreRepository.find(conn, centreId))
                .chain(stored -> {
                    CentreHistory history = stored == null ? null : stored.history();
                    boolean created = stored == null;
                    return (request.compensationModel() == CompensationModel.FIXED_EXTENDED
                            ? RuleSetRepository.threshold(conn, request.fixedApprovedFrom()).invoke(limit -> {
                                if (limit == null || request.childCni().compareTo(limit) <= 0) {
                                    throw new InvalidRequestException("childCni", "a FIXED_EXTENDED centre must have a"
                                            + " child-CNI above " + (limit == null ? "the threshold"
                                            : limit.toPlainString()));
                                }
                            }).replaceWithVoid() : Uni.createFrom().voidItem())
                            .invoke(() -> checkModel(history, request))
                            .chain(() -> CentreRepository.save(conn, centreId, request.name().strip(),
                                    request.municipality().strip(), request.compensationModel(), request.childCni(),
                                    request.listedChildren0to5(), request.fixedApprovedFrom(), figuresFrom))
                            .chain(() -> CentreRepository.find(conn, centreId))
                            .call(centre -> publish(conn, centre))
                            .map(centre -> new Saved(centre, created));
                }))
                .invoke(outbox::committed)
                .call(() -> outbox.awaitSent(centreId, PUBLISHED_WITHIN))
                .call(() -> fixed.settleAll());
    }

    /**
     * A PUT states the model the decisions say: {@code FIXED_EXTENDED} from the start of an approval that is not
     * ended, or {@code VARIABLE} when no approval stands today or later.
     */
    private static void checkModel(CentreHistory history, CentreRequest request) {
        LocalDate today = SwedishCalendar.today();
        List<CentreHistory.FixedPeriod> standing = history == null ? List.of() : history.fixedPeriods().stream()
                .filter(p -> p.until() == null || p.until().isAfter(today)).toList();
        if (request.compensationModel() == CompensationModel.FIXED_EXTENDED
                && standing.stream().noneMatch(p -> p.from().equals(request.fixedApprovedFrom()))) {
            throw new RefusedException("the fixed model with extended resource needs an approved decision of the"
                    + " central child-health unit from " + request.fixedApprovedFrom() + ": record the application"
                    + " and its decision (POST /api/v1/centres/{centreId}/fixed-applications) first");
        }
        if (request.compensationModel() == CompensationModel.VARIABLE && !standing.isEmpty()) {
            throw new RefusedException("the centre has an approved fixed model from " + standing.get(0).from()
                    + ": to end it, record an ENDED decision on its application");
        }
    }

    /** One centre with its history, or null. */
    public Uni<Centre> get(String centreId) {
        return CentreRepository.find(pool, centreId);
    }

    public Uni<List<Centre>> list() {
        return CentreRepository.all(pool);
    }

    public Uni<List<Centre.Application>> applications(String centreId) {
        return CentreRepository.applications(pool, centreId, null);
    }

    /** The list of centres that may apply for the fixed model (seed 000), kept by the unit. */
    public Uni<List<Centre.Eligible>> eligible() {
        return CentreRepository.eligible(pool);
    }

    /** Puts a registered centre on the list; answers whether it was new there. */
    public Uni<Boolean> addEligible(String centreId, String source) {
        CentreRules.requireText("source", source, "the decision or routine that puts the centre on the list");
        return pool.withTransaction(conn -> requireCentre(conn, centreId)
                .chain(() -> CentreRepository.addEligible(conn, centreId, source.strip())));
    }

    /** Takes a centre off the list: it may no longer apply. Approvals already decided stand until they are ended. */
    public Uni<Boolean> removeEligible(String centreId) {
        return CentreRepository.removeEligible(pool, centreId);
    }

    /** Records a centre's application for the fixed model, with its plan for the extended resource. */
    public Uni<Centre.Application> apply(String centreId, LocalDate receivedOn, LocalDate requestedFrom, String plannedUse) {
        List<FieldError> errors = new ArrayList<>();
        if (receivedOn == null) {
            errors.add(new FieldError("receivedOn", "is required: the date the unit received the application"));
        }
        if (requestedFrom == null) {
            errors.add(new FieldError("requestedFrom", "is required: the date the centre wants to start"));
        }
        CentreRules.text(errors, "plannedUse", plannedUse, "the centre's planned use of the extended resource (seed 000: time,"
                + " social services' capacity, how many visits, which families, start, transport)");
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return pool.withTransaction(conn -> CentreRepository.lock(conn, centreId)
                .chain(() -> requireCentre(conn, centreId))
                .chain(() -> CentreRepository.isEligible(conn, centreId))
                .chain(listed -> {
                    if (!listed) {
                        throw new RefusedException("the centre is not on the region's list of centres that may apply"
                                + " for fixed compensation with extended resource");
                    }
                    return CentreRepository.addApplication(conn, centreId, receivedOn, requestedFrom,
                            plannedUse.strip());
                })
                .chain(id -> CentreRepository.applications(conn, centreId, id))
                .map(list -> list.get(0)));
    }

    /**
     * Records the unit's decision on an application. APPROVED makes the centre a fixed-model centre from
     * {@code effectiveOn}: refused when the centre is not on the list, its child-CNI is not above the rule set's
     * threshold, or the period would overlap another approval. ENDED makes it a variable-model centre again from
     * {@code effectiveOn}. The fixed compensation of the months concerned is settled again before the answer.
     */
    public Uni<Centre.Application> decide(String centreId, long applicationId, Centre.Outcome outcome, String decisionRef,
                                   LocalDate decidedOn, LocalDate effectiveOn) {
        List<FieldError> errors = new ArrayList<>();
        if (outcome == null) {
            errors.add(new FieldError("outcome", "is required: APPROVED, REJECTED or ENDED"));
        }
        CentreRules.text(errors, "decisionRef", decisionRef, "the reference of the unit's decision");
        if (decidedOn == null) {
            errors.add(new FieldError("decidedOn", "is required: the date of the decision"));
        }
        if (outcome != null && (outcome == Centre.Outcome.REJECTED) != (effectiveOn == null)) {
            errors.add(new FieldError("effectiveOn", outcome == Centre.Outcome.REJECTED ? "must be empty for a rejection"
                    : "is required: the first day of the fixed model (APPROVED) or the first day after it (ENDED)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return pool.withTransaction(conn -> CentreRepository.lock(conn, centreId)
                        .chain(() -> CentreRepository.applications(conn, centreId, applicationId))
                        .chain(found -> {
                            if (found.isEmpty()) {
                                throw new jakarta.ws.rs.NotFoundException();
                            }
                            return CentreRepository.find(conn, centreId).chain(centre -> check(conn, found.get(0),
                                    centre.history(), outcome, effectiveOn));
                        })
                        .chain(() -> CentreRepository.addDecision(conn, applicationId, outcome, decisionRef.strip(),
                                decidedOn, effectiveOn))
                        .chain(() -> CentreRepository.find(conn, centreId))
                        .call(centre -> CentreRepository.syncModel(conn, centre))
                        .chain(() -> CentreRepository.find(conn, centreId)).call(centre -> publish(conn, centre))
                        .chain(() -> CentreRepository.applications(conn, centreId, applicationId))
                        .map(list -> list.get(0)))
                .invoke(outbox::committed)
                .call(() -> outbox.awaitSent(centreId, PUBLISHED_WITHIN))
                .call(() -> fixed.settleAll());
    }

    private Uni<Void> check(SqlConnection conn, Centre.Application application, CentreHistory history,
                            Centre.Outcome outcome,
                            LocalDate effectiveOn) {
        Centre.Decision decided = application.decisions().stream().filter(d -> d.outcome() != Centre.Outcome.ENDED).findFirst()
                .orElse(null);
        if (outcome == Centre.Outcome.ENDED) {
            if (decided == null || decided.outcome() != Centre.Outcome.APPROVED) {
                throw new RefusedException("only an approved application can be ended");
            }
            if (application.decisions().stream().anyMatch(d -> d.outcome() == Centre.Outcome.ENDED)) {
                throw new RefusedException("the approval is already ended");
            }
            if (!effectiveOn.isAfter(decided.effectiveOn())) {
                throw new RefusedException("an approval from " + decided.effectiveOn() + " can only end after it");
            }
            return Uni.createFrom().voidItem();
        }
        if (decided != null) {
            throw new RefusedException("the application is already decided (" + decided.outcome() + ")");
        }
        if (outcome == Centre.Outcome.REJECTED) {
            return Uni.createFrom().voidItem();
        }
        CentreHistory.FixedPeriod period = new CentreHistory.FixedPeriod(effectiveOn, null, null);
        if (history.fixedPeriods().stream().anyMatch(p -> p.overlaps(period))) {
            throw new RefusedException("the centre already has an approval that overlaps a fixed model from "
                    + effectiveOn);
        }
        return CentreRepository.isEligible(conn, application.centreId())
                .chain(listed -> {
                    if (!listed) {
                        throw new RefusedException("the centre is not on the region's list of centres that may have"
                                + " fixed compensation with extended resource");
                    }
                    return RuleSetRepository.threshold(conn, effectiveOn);
                })
                .invoke(limit -> {
                    CentreHistory.Figures figures = history.figuresFor(YearMonth.from(effectiveOn));
                    if (limit == null) {
                        throw new RefusedException("no rule set is in force on " + effectiveOn);
                    }
                    if (figures == null || figures.childCni().compareTo(limit) <= 0) {
                        throw new RefusedException("the centre's child-CNI ("
                                + (figures == null ? "none" : figures.childCni().toPlainString())
                                + ") is not above the rule set's threshold " + limit.toPlainString());
                    }
                }).replaceWithVoid();
    }

    private static Uni<Void> requireCentre(SqlConnection conn, String centreId) {
        return CentreRepository.exists(conn, centreId).invoke(exists -> {
            if (!exists) {
                throw new jakarta.ws.rs.NotFoundException();
            }
        }).replaceWithVoid();
    }

    /**
     * Writes the centre as it now stands, its approved fixed periods with it, as a {@code CentreUpdated} into the
     * outbox, in the transaction that changed it (the relay publishes it on {@code bhv.centres.v1}, keyed by centre).
     */
    private static Uni<Void> publish(SqlConnection conn, Centre centre) {
        CentreData data = new CentreData(centre.centreId(), centre.name(), centre.municipality(),
                centre.compensationModel().name(), centre.childCni(), centre.listedChildren0to5(),
                centre.fixedApprovedFrom(), centre.history().fixedPeriods().stream()
                .map(p -> new CentreData.FixedPeriod(p.from(), p.until())).toList());
        CloudEvent event = EventCodec.envelope(EventType.CENTRE_UPDATED, "/compensation-service", centre.centreId(),
                Instant.now(), data);
        return Outbox.add(conn, centre.centreId(), event);
    }
}
