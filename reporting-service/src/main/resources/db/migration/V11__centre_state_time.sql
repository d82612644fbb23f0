-- A centre's state is the one written last in compensation-service (the CloudEvent's time of its CentreUpdated),
-- not the one projected last: an older state that arrives after a newer one (a dead letter replayed once the centre
-- had changed again, a record published again) changes nothing. Rows from before this column take the next state.
ALTER TABLE report_centre ADD COLUMN state_time timestamptz;
