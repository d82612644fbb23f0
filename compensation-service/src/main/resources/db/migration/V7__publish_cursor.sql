-- The payout-line publisher keeps how far it has published as one cursor instead of marking every line: lines are
-- committed in line_id order (the feed lock), so everything up to the cursor is published and nothing after it.
-- One row updated per published batch instead of a new version of every line (and of its index entries).
CREATE TABLE publish_cursor (
    name         text PRIMARY KEY,
    last_line_id bigint NOT NULL
);
INSERT INTO publish_cursor VALUES ('bhv.payouts.v1',
    coalesce((SELECT min(line_id) - 1 FROM payout_line WHERE published_at IS NULL),
             (SELECT max(line_id) FROM payout_line), 0));
DROP INDEX payout_line_unpublished;
ALTER TABLE payout_line DROP COLUMN published_at;
