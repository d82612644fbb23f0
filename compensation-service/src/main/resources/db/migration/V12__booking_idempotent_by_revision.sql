-- Booking claimed every visit event's id in processed_event (a random-key row per event, kept for good) though
-- visit_seen already tells a redelivery apart: an event whose revision is not newer than the visit's latest one seen
-- books nothing (VisitLedger), in the same transaction as the lines. The claim is gone (issue 18: a row, an index
-- entry and two statements per event less).
DROP TABLE processed_event;
