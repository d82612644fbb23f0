package se.regionorebrolan.bhv.visit.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.kit.AuditPolicy;
import se.regionorebrolan.bhv.kit.Outbox;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * All SQL of the {@code visit} table, and of the visit events written with it into {@code outbox_event} (the same
 * transaction: a visit is stored and published, or neither). The one way a visit is written.
 */
@ApplicationScoped
public class VisitRepository {

    /** A stored visit: {@code state} is its full content as the event contract's {@code VisitData} JSON. */
    public record Visit(UUID visitId, String sourceSystem, String sourceVisitId, String centreId,
                        String childPseudonym, LocalDate visitDate, int revision, String state, boolean retracted,
                        String retractionReason) {
    }

    /**
     * A visit to insert, with its {@code VisitRecorded} event (whose time is the visit's recording time), the W3C
     * trace context of the request that posted it (or null), and the audit record of that request, committed with
     * the visit if it is inserted (or null: the request is recorded apart, service-kit {@code AuditTrail}).
     */
    public record NewVisit(VisitData visit, CloudEvent event, String traceParent, AuditPolicy.Row audit) {
    }

    /** What the visits that were not inserted met: the stored visits under their source keys, and unknown centres. */
    public record Existing(Map<List<String>, Visit> byKey, Set<String> unknownCentres) {
    }

    public record Page(List<Visit> rows, long total) {
    }

    private static final String COLUMNS = "visit_id, source_system, source_visit_id, centre_id, child_pseudonym, visit_date, revision,"
            + " state::text AS state, retracted, retraction_reason";

    /**
     * Inserts the new visits (whose centre is known and whose source key is not taken) and, for each of them, its
     * event into the outbox, in one statement, with the audit records of the requests that posted them
     * ({@code AuditPolicy}'s columns, $14–$20, keyed by the visit's id, $13: only an inserted visit's record is written);
     * answers the ids of the visits inserted. A key being inserted by another transaction waits for it: it is then
     * taken, or free again.
     */
    private static final String INSERT_NEW = """
            WITH input AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[],
                                     $7::bytea[], $8::uuid[], $9::bytea[], $10::timestamptz[], $11::text[], $12::text[])
                    AS t(visit_id, source_system, source_visit_id, centre_id, child_pseudonym, visit_date,
                         state, event_id, payload, recorded_at, event_type, trace_parent)),
            visits AS (
                INSERT INTO visit (visit_id, source_system, source_visit_id, centre_id, child_pseudonym, visit_date,
                                   revision, state, recorded_at, updated_at)
                SELECT visit_id, source_system, source_visit_id, centre_id, child_pseudonym, visit_date,
                       1, convert_from(state, 'UTF8')::json, recorded_at, recorded_at
                FROM input WHERE EXISTS (SELECT 1 FROM known_centre k WHERE k.centre_id = input.centre_id)
                ON CONFLICT (source_system, source_visit_id) DO NOTHING
                RETURNING visit_id),
            events AS (
                INSERT INTO outbox_event (event_id, aggregate_id, event_type, payload, created_at, trace_parent)
                SELECT input.event_id, input.visit_id, input.event_type, convert_from(input.payload, 'UTF8'),
                       input.recorded_at,
                       input.trace_parent
                FROM input JOIN visits USING (visit_id)),
            audit AS (
                INSERT INTO audit_event (actor, roles, centre, action, ids, status, occurrences)
                SELECT a.actor, a.roles, a.centre, a.action, a.ids::text[], a.status, a.occurrences
                FROM unnest($13::uuid[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::int[],
                            $20::bigint[]) AS a(visit_id, actor, roles, centre, action, ids, status, occurrences)
                JOIN visits USING (visit_id))
            SELECT visit_id FROM visits
            """;

    private static final String UPDATE = """
            UPDATE visit SET source_system = $2, source_visit_id = $3, centre_id = $4, child_pseudonym = $5,
                visit_date = $6, revision = $7, state = $8::text::json, retracted = $9,
                retraction_reason = $10, updated_at = $11
            WHERE visit_id = $1""";

    private final Pool pool;

    public VisitRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * See {@link #INSERT_NEW}: one statement for visits of one request or of many (single visits posted at the same
     * moment share it, {@code VisitService}).
     */
    public Uni<Set<UUID>> insertNew(List<NewVisit> visits) {
        int n = visits.size();
        UUID[] visitIds = new UUID[n];
        UUID[] eventIds = new UUID[n];
        LocalDate[] visitDates = new LocalDate[n];
        OffsetDateTime[] recordedAt = new OffsetDateTime[n];
        String[] systems = new String[n], sourceIds = new String[n], centres = new String[n],
                pseudonyms = new String[n], eventTypes = new String[n], traceParents = new String[n];
        Buffer[] states = new Buffer[n], payloads = new Buffer[n]; // UTF-8 JSON, never a String in between
        List<UUID> audited = new ArrayList<>(); // the visits whose request's record goes with them
        List<AuditPolicy.Row> audits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NewVisit row = visits.get(i);
            VisitData visit = row.visit();
            visitIds[i] = visit.visitId();
            eventIds[i] = UUID.fromString(row.event().id());
            visitDates[i] = visit.visitDate();
            recordedAt[i] = row.event().time().atOffset(ZoneOffset.UTC);
            systems[i] = visit.sourceSystem();
            sourceIds[i] = visit.sourceVisitId();
            centres[i] = visit.centreId();
            pseudonyms[i] = visit.childPseudonym();
            byte[] state = EventCodec.jsonBytes(visit);
            states[i] = Buffer.buffer(state);
            payloads[i] = Buffer.buffer(EventCodec.writeBytes(row.event(), state)); // its data: the visit's state
            eventTypes[i] = row.event().type();
            traceParents[i] = row.traceParent();
            if (row.audit() != null) {
                audited.add(visit.visitId());
                audits.add(row.audit());
            }
        }
        List<Object> params = new ArrayList<>(List.of(visitIds, systems, sourceIds, centres, pseudonyms, visitDates,
                states, eventIds, payloads, recordedAt, eventTypes, traceParents, audited.toArray(UUID[]::new)));
        params.addAll(List.of(AuditPolicy.columns(audits)));
        return pool.preparedQuery(INSERT_NEW).execute(Tuple.from(params)).map(inserted -> {
            Set<UUID> ids = new HashSet<>();
            inserted.forEach(row -> ids.add(row.getUUID(0)));
            return ids;
        });
    }

    public Uni<Existing> existing(List<VisitData> contents) {
        String[] systems = contents.stream().map(VisitData::sourceSystem).toArray(String[]::new);
        String[] ids = contents.stream().map(VisitData::sourceVisitId).toArray(String[]::new);
        String[] centres = contents.stream().map(VisitData::centreId).distinct().toArray(String[]::new);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM visit v JOIN unnest($1::text[], $2::text[])"
                        + " AS k(system, id) ON v.source_system = k.system AND v.source_visit_id = k.id")
                .execute(Tuple.of(systems, ids))
                .chain(rows -> pool.preparedQuery("SELECT centre_id FROM known_centre WHERE centre_id = ANY($1)")
                        .execute(Tuple.of((Object) centres)).map(known -> {
                            Map<List<String>, Visit> byKey = new HashMap<>();
                            rows.forEach(row -> {
                                Visit visit = visit(row);
                                byKey.put(List.of(visit.sourceSystem(), visit.sourceVisitId()), visit);
                            });
                            Set<String> unknown = new HashSet<>(List.of(centres));
                            known.forEach(row -> unknown.remove(row.getString(0)));
                            return new Existing(byKey, unknown);
                        }));
    }

    /** The visit, or null. */
    public Uni<Visit> find(UUID visitId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM visit WHERE visit_id = $1").execute(Tuple.of(visitId))
                .map(rows -> rows.size() == 0 ? null : visit(rows.iterator().next()));
    }

    /** Visits of a centre (or all, when null), by visit date within [from, to], newest first. */
    public Uni<Page> list(String centreId, LocalDate from, LocalDate to, int page, int size) {
        // two statements, not "$3 IS NULL OR centre_id = $3": each has its own index (V9)
        String where = " FROM visit WHERE visit_date BETWEEN $1 AND $2" + (centreId == null ? "" : " AND centre_id = $3");
        Tuple params = centreId == null ? Tuple.of(from, to) : Tuple.of(from, to, centreId);
        return pool.preparedQuery("SELECT " + COLUMNS + where
                        + " ORDER BY visit_date DESC, recorded_at DESC LIMIT " + size + " OFFSET " + (long) page * size)
                .execute(params)
                .chain(rows -> pool.preparedQuery("SELECT count(*)" + where).execute(params).map(count -> {
                    List<Visit> visits = new ArrayList<>();
                    rows.forEach(row -> visits.add(visit(row)));
                    return new Page(visits, count.iterator().next().getLong(0));
                }));
    }

    /** Runs the work in one transaction, with the operations that change a stored visit. */
    public <T> Uni<T> inTransaction(Function<Changes, Uni<T>> work) {
        return pool.withTransaction(conn -> work.apply(new Changes(conn)));
    }

    /** The changes of a stored visit, within one transaction. */
    public static final class Changes {

        private final SqlConnection conn;

        private Changes(SqlConnection conn) {
            this.conn = conn;
        }

        /** The visit, locked for the rest of the transaction; null when there is none. */
        public Uni<Visit> lock(UUID visitId) {
            return conn.preparedQuery("SELECT " + COLUMNS + " FROM visit WHERE visit_id = $1 FOR UPDATE")
                    .execute(Tuple.of(visitId)).map(rows -> rows.size() == 0 ? null : visit(rows.iterator().next()));
        }

        public Uni<Boolean> centreKnown(String centreId) {
            return conn.preparedQuery("SELECT 1 FROM known_centre WHERE centre_id = $1").execute(Tuple.of(centreId))
                    .map(rows -> rows.size() > 0);
        }

        /** Stores the visit's new state, and the event that tells of it into the outbox. */
        public Uni<Void> update(Visit visit, CloudEvent event) {
            OffsetDateTime at = event.time().atOffset(ZoneOffset.UTC);
            return conn.preparedQuery(UPDATE).execute(Tuple.from(List.of(visit.visitId(), visit.sourceSystem(),
                            visit.sourceVisitId(), visit.centreId(), visit.childPseudonym(), visit.visitDate(),
                            visit.revision(), visit.state(), visit.retracted())).addValue(
                            visit.retractionReason()).addValue(at))
                    .chain(() -> Outbox.add(conn, visit.visitId(), event));
        }
    }

    private static Visit visit(Row row) {
        return new Visit(row.getUUID("visit_id"), row.getString("source_system"), row.getString("source_visit_id"),
                row.getString("centre_id"), row.getString("child_pseudonym"), row.getLocalDate("visit_date"), row.getInteger("revision"),
                row.getString("state"), row.getBoolean("retracted"),
                row.getString("retraction_reason"));
    }
}
