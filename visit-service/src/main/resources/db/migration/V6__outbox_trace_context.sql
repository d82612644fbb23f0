-- The W3C trace context of the request that wrote the event, so that the relay's Kafka record continues the
-- request's trace (the relay runs later, on its own). Null when the request was not traced.
ALTER TABLE outbox_event ADD COLUMN trace_parent text;
