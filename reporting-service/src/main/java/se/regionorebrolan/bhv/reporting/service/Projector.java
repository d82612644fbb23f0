package se.regionorebrolan.bhv.reporting.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.stream.Collectors;

/**
 * Applies a poll batch of events to the read models in one transaction, idempotently: the batch claims its event
 * ids in {@code processed_event} first and projects only those it claimed, so a redelivered event changes nothing.
 * A visit keeps its highest revision (an older one arriving late changes nothing; a retraction that overtakes the
 * record leaves a tombstone); a payout line is kept once by its id; a centre is its latest state.
 */
@ApplicationScoped
public class Projector {

    /** An event with its data, or why its record cannot be projected (for the dead-letter topic). */
    public record Incoming(CloudEvent event, Object data, String unreadable) {

        /** Reads a record of a topic that carries only the given event types. */
        public static Incoming read(String record, Set<EventType> belongHere) {
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

    private final Pool pool;

    public Projector(Pool pool) {
        this.pool = pool;
    }

    /** Projects the events; answers one entry per event: null when projected (now or before), else the reason not. */
    public Uni<List<String>> project(List<Incoming> events) {
        List<String> reasons = new ArrayList<>(events.size());
        Map<UUID, Incoming> byId = new LinkedHashMap<>();
        for (Incoming incoming : events) {
            reasons.add(incoming.unreadable());
            if (incoming.event() != null) {
                byId.putIfAbsent(eventId(incoming.event()), incoming);
            }
        }
        if (byId.isEmpty()) {
            return Uni.createFrom().item(reasons);
        }
        UUID[] ids = byId.keySet().toArray(UUID[]::new);
        String[] types = byId.values().stream().map(i -> i.event().type()).toArray(String[]::new);
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO processed_event (event_id, event_type,"
                                + " processed_at) SELECT e, t, now() FROM unnest($1::uuid[], $2::text[]) AS x(e, t)"
                                + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id")
                        .execute(Tuple.of(ids, types))
                        .chain(claimed -> {
                            Set<UUID> fresh = new HashSet<>();
                            claimed.forEach(row -> fresh.add(row.getUUID(0)));
                            List<Incoming> toProject = byId.entrySet().stream()
                                    .filter(e -> fresh.contains(e.getKey())).map(Map.Entry::getValue).toList();
                            return visits(conn, toProject).chain(() -> lines(conn, toProject))
                                    .chain(() -> centres(conn, toProject));
                        }))
                .replaceWith(reasons);
    }

    /** Runs the projection's statements once with nothing to project: the first real batch is then fast. */
    public Uni<Void> warmUp() {
        return pool.withTransaction(conn -> visits(conn, List.of()).chain(() -> lines(conn, List.of()))
                .chain(() -> centres(conn, List.of())));
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
                if (l.centreId() == null || l.period() == null || !l.period().matches("\\d{4}-(0[1-9]|1[0-2])")
                        || l.forPeriod() != null && !l.forPeriod().matches("\\d{4}-(0[1-9]|1[0-2])")
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

    /** Taken by every batch with visit events: the per-child summaries are recomputed one batch at a time. */
    static final long SUMMARY_LOCK = 0x5245504FL;

    /**
     * Each visit's latest event of the batch (highest revision) goes in one upsert that keeps the higher revision;
     * then the summaries of every child whose visits changed (before or after) are recomputed.
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
        UUID[] visitIds = latest.keySet().toArray(UUID[]::new);
        String[] pseudonyms = latest.values().stream().filter(VisitData.class::isInstance)
                .map(v -> ((VisitData) v).childPseudonym()).distinct().toArray(String[]::new);
        Map<String, Integer> childIds = new HashMap<>();
        Set<Integer> touched = new TreeSet<>();
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(SUMMARY_LOCK))
                .chain(() -> conn.preparedQuery("INSERT INTO report_child (pseudonym) SELECT unnest($1::text[])"
                        + " ON CONFLICT (pseudonym) DO NOTHING").execute(Tuple.of(pseudonyms)))
                .chain(() -> conn.preparedQuery("SELECT pseudonym, child_id FROM report_child WHERE pseudonym ="
                        + " ANY($1)").execute(Tuple.of(pseudonyms)))
                .invoke(rows -> rows.forEach(r -> childIds.put(r.getString(0), r.getInteger(1))))
                .chain(() -> conn.preparedQuery("SELECT child_id FROM report_visit WHERE visit_id = ANY($1)"
                        + " AND child_id IS NOT NULL").execute(Tuple.of(visitIds)))
                .invoke(rows -> rows.forEach(r -> touched.add(r.getInteger(0))))
                .chain(() -> upsertVisits(conn, latest, childIds))
                .invoke(() -> touched.addAll(childIds.values()))
                .chain(() -> Summaries.recompute(conn, touched.toArray(Integer[]::new)));
    }

    private static Uni<Void> upsertVisits(SqlConnection conn, Map<UUID, Object> latest, Map<String, Integer> childIds) {
        int n = latest.size();
        UUID[] id = new UUID[n];
        Integer[] revision = new Integer[n], child = new Integer[n];
        String[] centre = new String[n], pseudonym = new String[n], slot = new String[n], referrals = new String[n];
        LocalDate[] date = new LocalDate[n];
        Boolean[] joint = new Boolean[n], interpreter = new Boolean[n], risk = new Boolean[n], retracted = new Boolean[n],
                inProgramme = new Boolean[n];
        int i = 0;
        for (Object event : latest.values()) {
            if (event instanceof VisitData v) {
                id[i] = v.visitId();
                centre[i] = v.centreId();
                date[i] = v.visitDate();
                pseudonym[i] = v.childPseudonym();
                child[i] = childIds.get(v.childPseudonym());
                slot[i] = v.programSlot() == null ? "" : v.programSlot().name();
                joint[i] = v.socialServicesTookPart();
                interpreter[i] = v.interpreterUsed();
                risk[i] = v.riskFactors() != null && !v.riskFactors().isEmpty();
                referrals[i] = v.referrals() == null ? ""
                        : v.referrals().stream().map(Enum::name).distinct().collect(Collectors.joining(","));
                retracted[i] = false;
                inProgramme[i] = v.childBirthDate() != null
                        && v.visitDate().isBefore(ProgramSlot.programmeEnd(v.childBirthDate()));
            } else {
                VisitRetractedData r = (VisitRetractedData) event;
                id[i] = r.visitId();
                centre[i] = r.centreId() == null ? "" : r.centreId();
                joint[i] = false;
                interpreter[i] = false;
                risk[i] = false;
                referrals[i] = "";
                retracted[i] = true;
                inProgramme[i] = false;
            }
            revision[i] = revision(event);
            i++;
        }
        return conn.preparedQuery("""
                        INSERT INTO report_visit AS v (visit_id, revision, centre_id, visit_date, child_pseudonym,
                            program_slot, social_services, interpreter_used, has_risk_factor, referrals, retracted,
                            child_id, in_programme)
                        SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::date[], $5::text[], $6::text[],
                                             $7::bool[], $8::bool[], $9::bool[], $10::text[], $11::bool[], $12::int[],
                                             $13::bool[])
                        ON CONFLICT (visit_id) DO UPDATE SET
                            revision = EXCLUDED.revision,
                            retracted = EXCLUDED.retracted,
                            centre_id = CASE WHEN EXCLUDED.retracted THEN v.centre_id ELSE EXCLUDED.centre_id END,
                            visit_date = CASE WHEN EXCLUDED.retracted THEN v.visit_date ELSE EXCLUDED.visit_date END,
                            child_pseudonym = CASE WHEN EXCLUDED.retracted THEN v.child_pseudonym
                                                   ELSE EXCLUDED.child_pseudonym END,
                            child_id = CASE WHEN EXCLUDED.retracted THEN v.child_id ELSE EXCLUDED.child_id END,
                            program_slot = CASE WHEN EXCLUDED.retracted THEN v.program_slot
                                                ELSE EXCLUDED.program_slot END,
                            social_services = CASE WHEN EXCLUDED.retracted THEN v.social_services
                                                   ELSE EXCLUDED.social_services END,
                            interpreter_used = CASE WHEN EXCLUDED.retracted THEN v.interpreter_used
                                                    ELSE EXCLUDED.interpreter_used END,
                            has_risk_factor = CASE WHEN EXCLUDED.retracted THEN v.has_risk_factor
                                                   ELSE EXCLUDED.has_risk_factor END,
                            referrals = CASE WHEN EXCLUDED.retracted THEN v.referrals ELSE EXCLUDED.referrals END,
                            in_programme = CASE WHEN EXCLUDED.retracted THEN v.in_programme
                                                ELSE EXCLUDED.in_programme END
                        WHERE v.revision < EXCLUDED.revision""")
                .execute(Tuple.from(new Object[] {id, revision, centre, date, pseudonym, slot, joint, interpreter,
                        risk, referrals, retracted, child, inProgramme}))
                .replaceWithVoid();
    }

    private static int revision(Object event) {
        return event instanceof VisitData v ? v.revision() : ((VisitRetractedData) event).revision();
    }

    private static Uni<Void> lines(SqlConnection conn, List<Incoming> events) {
        List<PayoutLineBookedData> lines = events.stream().map(Incoming::data)
                .filter(PayoutLineBookedData.class::isInstance).map(PayoutLineBookedData.class::cast).toList();
        int n = lines.size();
        Long[] id = new Long[n], amount = new Long[n];
        String[] centre = new String[n], period = new String[n], kind = new String[n], funding = new String[n],
                ruleSet = new String[n], pseudonym = new String[n], forPeriod = new String[n], moneyKind = new String[n];
        UUID[] visit = new UUID[n];
        LocalDate[] date = new LocalDate[n];
        for (int i = 0; i < n; i++) {
            PayoutLineBookedData l = lines.get(i);
            id[i] = l.lineId();
            centre[i] = l.centreId();
            period[i] = l.period();
            kind[i] = l.kind();
            amount[i] = l.amount().setScale(2).unscaledValue().longValueExact();
            funding[i] = l.fundingSource();
            ruleSet[i] = l.ruleSet() == null ? "" : l.ruleSet();
            visit[i] = l.visitId();
            date[i] = l.visitDate();
            pseudonym[i] = l.childPseudonym();
            forPeriod[i] = forPeriod(l);
            moneyKind[i] = moneyKind(l);
        }
        // the lines inserted now (not those seen before) are added to the summary, in key order (no deadlocks)
        return conn.preparedQuery("""
                        WITH inserted AS (
                            INSERT INTO report_payout_line (line_id, centre_id, period, kind, amount_ore,
                                funding_source, rule_set, visit_id, visit_date, child_pseudonym, for_period, money_kind)
                            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                                                 $6::text[], $7::text[], $8::uuid[], $9::date[], $10::text[],
                                                 $11::text[], $12::text[])
                            ON CONFLICT (line_id) DO NOTHING
                            RETURNING period, centre_id, kind, money_kind, funding_source, for_period, amount_ore)
                        INSERT INTO payout_summary AS s (period, centre_id, kind, money_kind, funding_source,
                                                         for_period, amount_ore, lines)
                        SELECT period, centre_id, kind, money_kind, funding_source, for_period, sum(amount_ore),
                               count(*)
                        FROM inserted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
                        ON CONFLICT (period, centre_id, kind, money_kind, funding_source, for_period) DO UPDATE SET
                            amount_ore = s.amount_ore + EXCLUDED.amount_ore, lines = s.lines + EXCLUDED.lines""")
                .execute(Tuple.from(new Object[] {id, centre, period, kind, amount, funding, ruleSet, visit, date,
                        pseudonym, forPeriod, moneyKind}))
                .replaceWithVoid();
    }

    /**
     * The centres' approved periods of the fixed model, replaced by each record's; a record without them (written
     * before the second round) stands for one open period from its approval date when it is a fixed-model centre.
     */
    private static Uni<Void> fixedPeriods(SqlConnection conn, List<CentreData> centres) {
        List<String> ids = new ArrayList<>();
        List<LocalDate> from = new ArrayList<>();
        List<LocalDate> until = new ArrayList<>();
        for (CentreData c : centres) {
            List<CentreData.FixedPeriod> periods = c.fixedPeriods() != null ? c.fixedPeriods()
                    : "FIXED_EXTENDED".equals(c.compensationModel()) && c.fixedApprovedFrom() != null
                    ? List.of(new CentreData.FixedPeriod(c.fixedApprovedFrom(), null)) : List.of();
            for (CentreData.FixedPeriod p : periods) {
                ids.add(c.centreId());
                from.add(p.from());
                until.add(p.until());
            }
        }
        return conn.preparedQuery("DELETE FROM report_centre_fixed_period WHERE centre_id = ANY($1)")
                .execute(Tuple.of((Object) centres.stream().map(CentreData::centreId).toArray(String[]::new)))
                .chain(() -> conn.preparedQuery("INSERT INTO report_centre_fixed_period (centre_id, from_date, until)"
                                + " SELECT * FROM unnest($1::text[], $2::date[], $3::date[]) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(ids.toArray(String[]::new), from.toArray(LocalDate[]::new),
                                until.toArray(LocalDate[]::new))))
                .replaceWithVoid();
    }

    /** The month the line's money is for; a line published before the second round: its visit's month or period. */
    static String forPeriod(PayoutLineBookedData l) {
        if (l.forPeriod() != null) {
            return l.forPeriod();
        }
        return l.visitDate() != null ? java.time.YearMonth.from(l.visitDate()).toString() : l.period();
    }

    /**
     * The kind of money: an adjustment counts as what it adjusts ({@code adjustedKind}; on a line published before
     * the second round, visit money by its funding source, or fixed compensation when it has no visit).
     */
    static String moneyKind(PayoutLineBookedData l) {
        if (!"ADJUSTMENT".equals(l.kind())) {
            return l.kind();
        }
        if (l.adjustedKind() != null) {
            return l.adjustedKind();
        }
        return l.visitId() == null ? "FIXED_MONTHLY" : "STATE_GRANT".equals(l.fundingSource()) ? "JOINT_VISIT"
                : "ORDINARY_VISIT";
    }

    /**
     * Each centre's latest state of the batch; a centre that is new or moved to another municipality has its
     * children's summaries recomputed (their municipality figures follow the registry).
     */
    private static Uni<Void> centres(SqlConnection conn, List<Incoming> events) {
        Map<String, CentreData> latest = new LinkedHashMap<>();
        events.stream().map(Incoming::data).filter(CentreData.class::isInstance).map(CentreData.class::cast)
                .forEach(c -> latest.put(c.centreId(), c)); // in partition order: the last one is the state
        if (latest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<CentreData> centres = new ArrayList<>(latest.values());
        String[] ids = latest.keySet().toArray(String[]::new);
        Map<String, String> before = new HashMap<>();
        return conn.preparedQuery("SELECT centre_id, municipality FROM report_centre WHERE centre_id = ANY($1)")
                .execute(Tuple.of((Object) ids))
                .invoke(rows -> rows.forEach(r -> before.put(r.getString(0), r.getString(1))))
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO report_centre (centre_id, name, municipality, compensation_model, child_cni,
                            listed_children, fixed_approved_from, updated_at)
                        SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[],
                                                    $6::int[], $7::date[])
                        ON CONFLICT (centre_id) DO UPDATE SET name = EXCLUDED.name,
                            municipality = EXCLUDED.municipality, compensation_model = EXCLUDED.compensation_model,
                            child_cni = EXCLUDED.child_cni, listed_children = EXCLUDED.listed_children,
                            fixed_approved_from = EXCLUDED.fixed_approved_from, updated_at = EXCLUDED.updated_at""")
                        .execute(Tuple.from(new Object[] {ids,
                                centres.stream().map(CentreData::name).toArray(String[]::new),
                                centres.stream().map(CentreData::municipality).toArray(String[]::new),
                                centres.stream().map(CentreData::compensationModel).toArray(String[]::new),
                                centres.stream().map(CentreData::childCni).toArray(BigDecimal[]::new),
                                centres.stream().map(CentreData::listedChildren0to5).toArray(Integer[]::new),
                                centres.stream().map(CentreData::fixedApprovedFrom).toArray(LocalDate[]::new)})))
                .chain(() -> fixedPeriods(conn, centres))
                .chain(() -> {
                    String[] moved = centres.stream()
                            .filter(c -> !c.municipality().equals(before.get(c.centreId())))
                            .map(CentreData::centreId).toArray(String[]::new);
                    return moved.length == 0 ? Uni.createFrom().voidItem()
                            : conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(SUMMARY_LOCK))
                                    .chain(() -> Summaries.recomputeAt(conn, moved));
                });
    }
}
