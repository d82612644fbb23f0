-- The outbox as service-kit's relay reads it (OutboxRelay, ParkedEvents, OutboxMetrics), in the services that have
-- one (visit-service: visit events; compensation-service: centre events), which list db/kit-outbox among their
-- Flyway locations. Repeatable: run after the versioned migrations whenever it changes, and idempotent.
--
-- The relay deletes an event once Kafka acknowledged it. Until December 2026 it set sent_at and kept the row for
-- good (about 1 kB per visit that nothing read, each event written a second time with all its index entries); on a
-- database made then, those rows and the column go here, once. What stays is what waits, what is parked and what
-- an operator discarded (kept with the reason).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'outbox_event' AND column_name = 'sent_at') THEN
        DELETE FROM outbox_event WHERE sent_at IS NOT NULL;
        DROP INDEX IF EXISTS outbox_event_unsent;
        DROP INDEX IF EXISTS outbox_event_held;
        ALTER TABLE outbox_event DROP COLUMN sent_at;
    END IF;
END $$;

-- what the relay reads: not parked, not discarded
CREATE INDEX IF NOT EXISTS outbox_event_unsent ON outbox_event (id) WHERE parked_at IS NULL AND discarded_at IS NULL;
-- the aggregates whose events are held behind a parked one (nearly always empty)
CREATE INDEX IF NOT EXISTS outbox_event_held ON outbox_event (aggregate_id, id)
    WHERE parked_at IS NOT NULL AND discarded_at IS NULL;

-- Event ids are drawn afresh for every event (random UUIDs), and nothing looks an event up by its id but the admin of
-- parked events: a unique index over every event's id cost each event a random-key insertion (and its clean-up after
-- the delete) that no query used. Only the parked ones are indexed by id now.
ALTER TABLE outbox_event DROP CONSTRAINT IF EXISTS outbox_event_event_id_key;
CREATE INDEX IF NOT EXISTS outbox_event_parked_id ON outbox_event (event_id)
    WHERE parked_at IS NOT NULL AND discarded_at IS NULL;
