-- Who read or wrote what, and what came of it: one row per API request, append-only (the triggers refuse UPDATE,
-- DELETE and TRUNCATE for everyone, the service's own role included). Never the personnummer: ids and path
-- templates only.
CREATE TABLE audit_event (
    audit_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text        NOT NULL,
    roles     text        NOT NULL,
    centre    text,
    action    text        NOT NULL,
    ids       text[]      NOT NULL,
    status    integer     NOT NULL
);
CREATE INDEX audit_event_at ON audit_event (at);
CREATE INDEX audit_event_actor ON audit_event (actor, at);
CREATE INDEX audit_event_ids ON audit_event USING gin (ids);

CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END
$$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
