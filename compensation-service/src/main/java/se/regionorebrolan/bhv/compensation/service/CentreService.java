package se.regionorebrolan.bhv.compensation.service;

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
import se.regionorebrolan.bhv.compensation.rest.CentreRequest;
import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.kit.OutboxRelay;
import se.regionorebrolan.bhv.kit.TraceContext;
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

    public static final Pattern HSA_ID = Pattern.compile("SE\\d{10}-[A-Za-z0-9]{1,31}");
    private static final BigDecimal MAX_CNI = new BigDecimal("100");
    private static final int MAX_TEXT = 2000;

    /** A registered centre as it stands: today's model derived from its history. */
    public record Centre(String centreId, String name, String municipality, BigDecimal childCni,
                         int listedChildren0to5, CentreHistory history) {

        public CompensationModel compensationModel() {
            return history.modelOn(SwedishCalendar.today());
        }

        /** The start of the approval in force today, or else of the next one to come; null when there is none. */
        public LocalDate fixedApprovedFrom() {
            LocalDate today = SwedishCalendar.today();
            return history.fixedPeriods().stream().filter(p -> p.until() == null || p.until().isAfter(today))
                    .map(CentreHistory.FixedPeriod::from).findFirst().orElse(null);
        }
    }

    /** The outcome of a PUT: the centre, and whether it was new. */
    public record Saved(Centre centre, boolean created) {
    }

    public record Application(long applicationId, String centreId, LocalDate receivedOn, LocalDate requestedFrom,
                              String plannedUse, List<Decision> decisions) {
    }

    public enum Outcome { APPROVED, REJECTED, ENDED }

    public record Decision(long decisionId, Outcome outcome, String decisionRef, LocalDate decidedOn,
                           LocalDate effectiveOn) {
    }

    public record Eligible(String centreId, String source) {
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
        List<FieldError> errors = validate(centreId, request);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        LocalDate figuresFrom = request.figuresValidFrom() != null ? request.figuresValidFrom()
                : YearMonth.from(SwedishCalendar.today()).atDay(1);
        return pool.withTransaction(conn -> lockCentre(conn, centreId).chain(() -> CentreHistories.of(conn, centreId))
                .chain(histories -> {
                    CentreHistory history = histories.get(centreId);
                    boolean created = history == null;
                    return (request.compensationModel() == CompensationModel.FIXED_EXTENDED
                            ? threshold(conn, request.fixedApprovedFrom()).invoke(limit -> {
                                if (limit == null || request.childCni().compareTo(limit) <= 0) {
                                    throw new InvalidRequestException("childCni", "a FIXED_EXTENDED centre must have a"
                                            + " child-CNI above " + (limit == null ? "the threshold"
                                            : limit.toPlainString()));
                                }
                            }).replaceWithVoid() : Uni.createFrom().voidItem())
                            .invoke(() -> checkModel(history, request))
                            .chain(() -> conn.preparedQuery("""
                                    INSERT INTO centre (centre_id, name, municipality, compensation_model, child_cni,
                                        listed_children_0_to_5, fixed_approved_from, updated_at)
                                    VALUES ($1, $2, $3, $4, $5, $6, $7, now())
                                    ON CONFLICT (centre_id) DO UPDATE SET name = EXCLUDED.name,
                                        municipality = EXCLUDED.municipality,
                                        compensation_model = EXCLUDED.compensation_model,
                                        child_cni = EXCLUDED.child_cni,
                                        listed_children_0_to_5 = EXCLUDED.listed_children_0_to_5,
                                        fixed_approved_from = EXCLUDED.fixed_approved_from,
                                        updated_at = EXCLUDED.updated_at""")
                                    .execute(Tuple.from(new Object[] {centreId, request.name().strip(),
                                            request.municipality().strip(), request.compensationModel().name(),
                                            request.childCni(), request.listedChildren0to5(),
                                            request.fixedApprovedFrom()})))
                            .chain(() -> conn.preparedQuery("""
                                    INSERT INTO centre_figures (centre_id, valid_from, child_cni,
                                        listed_children_0_to_5, recorded_at)
                                    VALUES ($1, $2, $3, $4, now())
                                    ON CONFLICT (centre_id, valid_from) DO UPDATE SET child_cni = EXCLUDED.child_cni,
                                        listed_children_0_to_5 = EXCLUDED.listed_children_0_to_5,
                                        recorded_at = EXCLUDED.recorded_at""")
                                    .execute(Tuple.of(centreId, figuresFrom, request.childCni(),
                                            request.listedChildren0to5())))
                            .chain(() -> find(conn, centreId))
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
        return pool.withConnection(conn -> find(conn, centreId));
    }

    public Uni<List<Centre>> list() {
        return pool.withConnection(conn -> CentreHistories.all(conn, true).chain(histories ->
                conn.query("SELECT centre_id, name, municipality, child_cni, listed_children_0_to_5 FROM centre"
                        + " ORDER BY centre_id").execute().map(rows -> {
                    List<Centre> centres = new ArrayList<>();
                    rows.forEach(r -> centres.add(centre(r, histories.get(r.getString(0)))));
                    return centres;
                })));
    }

    public Uni<List<Application>> applications(String centreId) {
        return pool.withConnection(conn -> applications(conn, centreId, null));
    }

    /** The list of centres that may apply for the fixed model (seed 000), kept by the unit. */
    public Uni<List<Eligible>> eligible() {
        return pool.withConnection(conn -> conn.query("SELECT centre_id, source FROM fixed_eligible_centre"
                + " ORDER BY centre_id").execute().map(rows -> {
                    List<Eligible> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new Eligible(r.getString(0), r.getString(1))));
                    return list;
                }));
    }

    /** Puts a registered centre on the list; answers whether it was new there. */
    public Uni<Boolean> addEligible(String centreId, String source) {
        requireText("source", source, "the decision or routine that puts the centre on the list");
        return pool.withTransaction(conn -> requireCentre(conn, centreId).chain(() -> conn.preparedQuery("""
                        INSERT INTO fixed_eligible_centre (centre_id, source, listed_at) VALUES ($1, $2, now())
                        ON CONFLICT (centre_id) DO UPDATE SET source = EXCLUDED.source
                        RETURNING (xmax = 0)""").execute(Tuple.of(centreId, source.strip()))
                .map(rows -> rows.iterator().next().getBoolean(0))));
    }

    /** Takes a centre off the list: it may no longer apply. Approvals already decided stand until they are ended. */
    public Uni<Boolean> removeEligible(String centreId) {
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM fixed_eligible_centre WHERE centre_id = $1")
                .execute(Tuple.of(centreId)).map(rows -> rows.rowCount() > 0));
    }

    /** Records a centre's application for the fixed model, with its plan for the extended resource. */
    public Uni<Application> apply(String centreId, LocalDate receivedOn, LocalDate requestedFrom, String plannedUse) {
        List<FieldError> errors = new ArrayList<>();
        if (receivedOn == null) {
            errors.add(new FieldError("receivedOn", "is required: the date the unit received the application"));
        }
        if (requestedFrom == null) {
            errors.add(new FieldError("requestedFrom", "is required: the date the centre wants to start"));
        }
        text(errors, "plannedUse", plannedUse, "the centre's planned use of the extended resource (seed 000: time,"
                + " social services' capacity, how many visits, which families, start, transport)");
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return pool.withTransaction(conn -> lockCentre(conn, centreId).chain(() -> requireCentre(conn, centreId))
                .chain(() -> conn.preparedQuery("SELECT 1 FROM fixed_eligible_centre WHERE centre_id = $1")
                        .execute(Tuple.of(centreId)))
                .chain(listed -> {
                    if (listed.size() == 0) {
                        throw new RefusedException("the centre is not on the region's list of centres that may apply"
                                + " for fixed compensation with extended resource");
                    }
                    return conn.preparedQuery("""
                            INSERT INTO fixed_application (centre_id, received_on, requested_from, planned_use,
                                recorded_at) VALUES ($1, $2, $3, $4, now()) RETURNING application_id""")
                            .execute(Tuple.of(centreId, receivedOn, requestedFrom, plannedUse.strip()));
                })
                .chain(rows -> applications(conn, centreId, rows.iterator().next().getLong(0)))
                .map(list -> list.get(0)));
    }

    /**
     * Records the unit's decision on an application. APPROVED makes the centre a fixed-model centre from
     * {@code effectiveOn}: refused when the centre is not on the list, its child-CNI is not above the rule set's
     * threshold, or the period would overlap another approval. ENDED makes it a variable-model centre again from
     * {@code effectiveOn}. The fixed compensation of the months concerned is settled again before the answer.
     */
    public Uni<Application> decide(String centreId, long applicationId, Outcome outcome, String decisionRef,
                                   LocalDate decidedOn, LocalDate effectiveOn) {
        List<FieldError> errors = new ArrayList<>();
        if (outcome == null) {
            errors.add(new FieldError("outcome", "is required: APPROVED, REJECTED or ENDED"));
        }
        text(errors, "decisionRef", decisionRef, "the reference of the unit's decision");
        if (decidedOn == null) {
            errors.add(new FieldError("decidedOn", "is required: the date of the decision"));
        }
        if (outcome != null && (outcome == Outcome.REJECTED) != (effectiveOn == null)) {
            errors.add(new FieldError("effectiveOn", outcome == Outcome.REJECTED ? "must be empty for a rejection"
                    : "is required: the first day of the fixed model (APPROVED) or the first day after it (ENDED)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return pool.withTransaction(conn -> lockCentre(conn, centreId)
                        .chain(() -> applications(conn, centreId, applicationId))
                        .chain(found -> {
                            if (found.isEmpty()) {
                                throw new jakarta.ws.rs.NotFoundException();
                            }
                            return CentreHistories.of(conn, centreId).chain(histories -> check(conn, found.get(0),
                                    histories.get(centreId), outcome, effectiveOn));
                        })
                        .chain(() -> conn.preparedQuery("""
                                INSERT INTO fixed_decision (application_id, outcome, decision_ref, decided_on,
                                    effective_on, recorded_at) VALUES ($1, $2, $3, $4, $5, now())""")
                                .execute(Tuple.of(applicationId, outcome.name(), decisionRef.strip(), decidedOn,
                                        effectiveOn)))
                        .chain(() -> syncRegistry(conn, centreId))
                        .chain(() -> find(conn, centreId)).call(centre -> publish(conn, centre))
                        .chain(() -> applications(conn, centreId, applicationId)).map(list -> list.get(0)))
                .invoke(outbox::committed)
                .call(() -> outbox.awaitSent(centreId, PUBLISHED_WITHIN))
                .call(() -> fixed.settleAll());
    }

    private Uni<Void> check(SqlConnection conn, Application application, CentreHistory history, Outcome outcome,
                            LocalDate effectiveOn) {
        Decision decided = application.decisions().stream().filter(d -> d.outcome() != Outcome.ENDED).findFirst()
                .orElse(null);
        if (outcome == Outcome.ENDED) {
            if (decided == null || decided.outcome() != Outcome.APPROVED) {
                throw new RefusedException("only an approved application can be ended");
            }
            if (application.decisions().stream().anyMatch(d -> d.outcome() == Outcome.ENDED)) {
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
        if (outcome == Outcome.REJECTED) {
            return Uni.createFrom().voidItem();
        }
        CentreHistory.FixedPeriod period = new CentreHistory.FixedPeriod(effectiveOn, null, null);
        if (history.fixedPeriods().stream().anyMatch(p -> p.overlaps(period))) {
            throw new RefusedException("the centre already has an approval that overlaps a fixed model from "
                    + effectiveOn);
        }
        return conn.preparedQuery("SELECT 1 FROM fixed_eligible_centre WHERE centre_id = $1")
                .execute(Tuple.of(application.centreId()))
                .chain(listed -> {
                    if (listed.size() == 0) {
                        throw new RefusedException("the centre is not on the region's list of centres that may have"
                                + " fixed compensation with extended resource");
                    }
                    return threshold(conn, effectiveOn);
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

    /** Keeps the registry row's model and approval date as the decisions say today (what the API and events show). */
    private static Uni<Void> syncRegistry(SqlConnection conn, String centreId) {
        return find(conn, centreId).chain(centre -> conn.preparedQuery("UPDATE centre SET compensation_model = $2,"
                        + " fixed_approved_from = $3, updated_at = now() WHERE centre_id = $1")
                .execute(Tuple.of(centreId, centre.compensationModel().name(), centre.fixedApprovedFrom())))
                .replaceWithVoid();
    }

    private static Uni<BigDecimal> threshold(SqlConnection conn, LocalDate on) {
        return conn.preparedQuery("SELECT cni_threshold FROM rule_set WHERE valid_from <= $1"
                        + " ORDER BY valid_from DESC LIMIT 1").execute(Tuple.of(on))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBigDecimal(0));
    }

    /** Decisions about one centre are taken one at a time (no two approvals that overlap). */
    private static Uni<Void> lockCentre(SqlConnection conn, String centreId) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('centre/' || $1))")
                .execute(Tuple.of(centreId)).replaceWithVoid();
    }

    private static Uni<Void> requireCentre(SqlConnection conn, String centreId) {
        return conn.preparedQuery("SELECT 1 FROM centre WHERE centre_id = $1").execute(Tuple.of(centreId))
                .invoke(rows -> {
                    if (rows.size() == 0) {
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
        return conn.preparedQuery("""
                        INSERT INTO outbox_event (event_id, aggregate_id, event_type, payload, created_at, trace_parent)
                        VALUES ($1, $2, $3, $4, now(), $5)""")
                .execute(Tuple.of(UUID.fromString(event.id()), centre.centreId(), event.type(), EventCodec.write(event),
                        TraceContext.traceParent()))
                .replaceWithVoid();
    }

    private static Uni<Centre> find(SqlConnection conn, String centreId) {
        return CentreHistories.of(conn, centreId).chain(histories -> conn.preparedQuery("SELECT centre_id, name,"
                        + " municipality, child_cni, listed_children_0_to_5 FROM centre WHERE centre_id = $1")
                .execute(Tuple.of(centreId))
                .map(rows -> rows.size() == 0 ? null : centre(rows.iterator().next(), histories.get(centreId))));
    }

    private static Centre centre(Row r, CentreHistory history) {
        return new Centre(r.getString(0), r.getString(1), r.getString(2), r.getBigDecimal(3), r.getInteger(4),
                history != null ? history : new CentreHistory(r.getString(0), List.of(), List.of()));
    }

    private static Uni<List<Application>> applications(SqlConnection conn, String centreId, Long applicationId) {
        return conn.preparedQuery("""
                        SELECT a.application_id, a.received_on, a.requested_from, a.planned_use, d.decision_id,
                               d.outcome, d.decision_ref, d.decided_on, d.effective_on
                        FROM fixed_application a LEFT JOIN fixed_decision d ON d.application_id = a.application_id
                        WHERE a.centre_id = $1 AND ($2::bigint IS NULL OR a.application_id = $2)
                        ORDER BY a.application_id, d.decision_id""")
                .execute(Tuple.of(centreId, applicationId))
                .map(rows -> {
                    Map<Long, Application> byId = new java.util.LinkedHashMap<>();
                    for (Row r : rows) {
                        Application a = byId.computeIfAbsent(r.getLong(0), id -> new Application(id, centreId,
                                r.getLocalDate(1), r.getLocalDate(2), r.getString(3), new ArrayList<>()));
                        if (r.getLong(4) != null) {
                            a.decisions().add(new Decision(r.getLong(4), Outcome.valueOf(r.getString(5)),
                                    r.getString(6), r.getLocalDate(7), r.getLocalDate(8)));
                        }
                    }
                    return List.copyOf(byId.values());
                });
    }

    private static void requireText(String field, String value, String what) {
        List<FieldError> errors = new ArrayList<>();
        text(errors, field, value, what);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static void text(List<FieldError> errors, String field, String value, String what) {
        if (value == null || value.isBlank() || value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "is required (at most " + MAX_TEXT + " characters): " + what));
        } else {
            noIdentityNumber(errors, field, value);
        }
    }

    /** Every free text of the API: never a personal identity number (the field named, never the value). */
    public static void noIdentityNumber(List<FieldError> errors, String field, String value) {
        if (IdentityNumbers.in(value)) {
            errors.add(new FieldError(field, "must not contain a personal identity number or samordningsnummer"));
        }
    }

    private static List<FieldError> validate(String centreId, CentreRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (!HSA_ID.matcher(centreId).matches()) {
            errors.add(new FieldError("centreId", "must be the centre's HSA-id, e.g. SE2321000164-E000000000001"));
        }
        if (request == null) {
            errors.add(new FieldError("body", "a centre is required"));
            return errors;
        }
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            errors.add(new FieldError("name", "is required (at most 200 characters)"));
        } else {
            noIdentityNumber(errors, "name", request.name());
        }
        if (request.municipality() == null || request.municipality().isBlank() || request.municipality().length() > 100) {
            errors.add(new FieldError("municipality", "is required (at most 100 characters)"));
        } else {
            noIdentityNumber(errors, "municipality", request.municipality());
        }
        if (request.compensationModel() == null) {
            errors.add(new FieldError("compensationModel", "is required: VARIABLE or FIXED_EXTENDED"));
        }
        if (request.childCni() == null || request.childCni().signum() < 0 || request.childCni().compareTo(MAX_CNI) >= 0
                || request.childCni().stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError("childCni", "is required: a number from 0 to 99.99 with at most two decimals"));
        }
        if (request.listedChildren0to5() == null || request.listedChildren0to5() < 0) {
            errors.add(new FieldError("listedChildren0to5", "is required: a whole number, 0 or more"));
        }
        if (request.compensationModel() == CompensationModel.FIXED_EXTENDED && request.fixedApprovedFrom() == null) {
            errors.add(new FieldError("fixedApprovedFrom", "is required for a FIXED_EXTENDED centre"));
        }
        return errors;
    }
}
