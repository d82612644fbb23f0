-- The W3C trace context of the visit event that booked the line, sent as the PayoutLineBooked record's
-- traceparent header, so that one trace runs from the EHR's request to the payout event. Null when not traced.
ALTER TABLE payout_line ADD COLUMN trace_parent text;
