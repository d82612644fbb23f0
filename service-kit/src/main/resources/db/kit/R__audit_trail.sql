-- Every service's audit trail, the same way (service-kit; each service lists db/kit among its Flyway locations).
-- Repeatable: run after the versioned migrations whenever it changes, and idempotent. (Until December 2026 each
-- service created audit_event in a versioned migration of its own; on a database made then, the table exists and
-- this changes nothing, and Flyway is told to ignore those applied files that are gone: ignore-migration-patterns.)

-- Who read or wrote what, and what came of it: one row per API request, append-only (the triggers refuse UPDATE,
-- DELETE and TRUNCATE for everyone, the service's own role included). Never the personnummer: ids and path
-- templates only.
CREATE TABLE IF NOT EXISTS audit_event (
    audit_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text        NOT NULL,
    roles     text        NOT NULL,
    centre    text,
    action    text        NOT NULL,
    ids       text[]      NOT NULL,
    status    integer     NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_event_at ON audit_event (at);
CREATE INDEX IF NOT EXISTS audit_event_actor ON audit_event (actor, at);
CREATE INDEX IF NOT EXISTS audit_event_ids ON audit_event USING gin (ids);

CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END
$$;
DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event;
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

-- Requests without a valid token are audited as one row per action, status and window, with their number
-- (README, "Audit trail"); every other request as one row.
ALTER TABLE audit_event ADD COLUMN IF NOT EXISTS occurrences bigint NOT NULL DEFAULT 1 CHECK (occurrences >= 1);

-- In production the migrations run as the database's owner role (DB_OWNER_USER) and the service as its runtime
-- role (DB_USER): that role reads and writes the service's tables but may only append to and read the audit trail.
-- It owns nothing, so it can neither update, delete or truncate audit rows nor disable their triggers or alter the
-- table. Where both are the same role (the local stack, the tests) there is nothing to grant.
DO $$
DECLARE
    runtime text := '${runtimeRole}';
BEGIN
    IF runtime <> current_user THEN
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', runtime);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', runtime);
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', runtime);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                       runtime);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I',
                       runtime);
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM %I', runtime);
        EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', runtime);
    END IF;
END
$$;
