-- Parked events (issue 14): an event the broker refuses for a reason of its own (too large, malformed) waits here
-- with the reason instead of blocking the relay; later events of the same visit wait behind it, so that the order
-- of a visit's events never changes. An operator releases it (parked_at back to NULL: the relay tries again) or
-- discards it (kept, never sent) through /api/v1/admin/outbox/parked.
ALTER TABLE outbox_event
    ADD COLUMN parked_at      timestamptz,
    ADD COLUMN park_reason    text,
    ADD COLUMN discarded_at   timestamptz,
    ADD COLUMN discard_reason text;

-- what the relay reads: unsent, not parked, not discarded
DROP INDEX outbox_event_unsent;
CREATE INDEX outbox_event_unsent ON outbox_event (id)
    WHERE sent_at IS NULL AND parked_at IS NULL AND discarded_at IS NULL;
-- the visits whose events are held behind a parked one (nearly always empty)
CREATE INDEX outbox_event_held ON outbox_event (aggregate_id, id)
    WHERE sent_at IS NULL AND parked_at IS NOT NULL AND discarded_at IS NULL;
