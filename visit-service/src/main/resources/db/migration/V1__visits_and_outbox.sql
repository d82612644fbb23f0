-- One row per visit; the personnummer is never stored, only its keyed pseudonym.
CREATE TABLE visit (
    visit_id              uuid PRIMARY KEY,
    source_system         text        NOT NULL,
    source_visit_id       text        NOT NULL,
    centre_id             text        NOT NULL,
    child_pseudonym       text        NOT NULL,
    visit_date            date        NOT NULL,
    revision              integer     NOT NULL,
    retracted             boolean     NOT NULL DEFAULT false,
    content_hash          text        NOT NULL,
    state                 jsonb       NOT NULL,
    recorded_at           timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    CONSTRAINT visit_source_key UNIQUE (source_system, source_visit_id)
);
CREATE INDEX visit_centre_date ON visit (centre_id, visit_date);

-- Transactional outbox: written in the same transaction as the visit, relayed to Kafka in id order.
CREATE TABLE outbox_event (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      uuid        NOT NULL UNIQUE,
    aggregate_id  uuid        NOT NULL,
    event_type    text        NOT NULL,
    payload       text        NOT NULL,
    created_at    timestamptz NOT NULL,
    sent_at       timestamptz
);
CREATE INDEX outbox_event_unsent ON outbox_event (id) WHERE sent_at IS NULL;
