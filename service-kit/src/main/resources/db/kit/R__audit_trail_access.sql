-- Every service's audit trail, the same way (service-kit; each service lists db/kit among its Flyway locations and
-- creates audit_event in its own migrations). Repeatable: run after the versioned migrations whenever it changes,
-- and idempotent.

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
