-- The projection is idempotent by what each event is (a visit's revision, a payout line's id, a centre's latest
-- state): the claim of every event id before projecting it added a row per event for good, and a random-key index
-- insert per event, and changed nothing. A redelivery is told apart by the read models themselves.
DROP TABLE processed_event;
