-- The centre registry's events go out through a transactional outbox (service-kit OutboxRelay), written in the same
-- transaction as the change of a centre or of its decisions: no publishing after the fact, no republishing on start.
-- Same shape as visit-service's outbox; the aggregate is the centre id (the record's key on bhv.centres.v1).
CREATE TABLE outbox_event (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    aggregate_id   text        NOT NULL,
    event_type     text        NOT NULL,
    payload        text        NOT NULL,
    created_at     timestamptz NOT NULL,
    trace_parent   text,
    sent_at        timestamptz,
    parked_at      timestamptz,
    park_reason    text,
    discarded_at   timestamptz,
    discard_reason text
);
CREATE INDEX outbox_event_unsent ON outbox_event (id)
    WHERE sent_at IS NULL AND parked_at IS NULL AND discarded_at IS NULL;
CREATE INDEX outbox_event_held ON outbox_event (aggregate_id, id)
    WHERE sent_at IS NULL AND parked_at IS NOT NULL AND discarded_at IS NULL;

