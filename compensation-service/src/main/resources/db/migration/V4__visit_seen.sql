-- Every visit compensation-service has seen, at its latest revision: what reconciliation compares the booked
-- lines with, and what decides whether an event is newer than what is known (also for a retraction that arrives
-- before the visit itself, which then books nothing). centre_id and visit_date are null only for such a retraction.
CREATE TABLE visit_seen (
    visit_id   uuid PRIMARY KEY,
    centre_id  text,
    visit_date date,
    revision   integer NOT NULL,
    retracted  boolean NOT NULL,
    seen_at    timestamptz NOT NULL
);
CREATE INDEX visit_seen_date ON visit_seen (visit_date);

-- Lines booked before this table existed: each visit as its latest line describes it; retracted if it nets to zero.
INSERT INTO visit_seen (visit_id, centre_id, visit_date, revision, retracted, seen_at)
SELECT DISTINCT ON (l.visit_id) l.visit_id, l.centre_id, l.visit_date, coalesce(l.visit_revision, 1),
       (SELECT sum(p.amount_ore) FROM payout_line p WHERE p.visit_id = l.visit_id) = 0, l.booked_at
FROM payout_line l WHERE l.visit_id IS NOT NULL
ORDER BY l.visit_id, l.line_id DESC;
