-- Every outbox insert notifies the relays; PostgreSQL delivers it when the transaction commits (never before,
-- never for a rollback), so a relay in any replica wakes exactly when there is something committed to send.
CREATE FUNCTION outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_event', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify();
