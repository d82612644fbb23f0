-- The visit list (GET /api/v1/visits) pages newest first, for one centre or all: both orders straight from an index,
-- so that a page costs the same with millions of visits (issue 18).
CREATE INDEX visit_centre_newest ON visit (centre_id, visit_date DESC, recorded_at DESC);
DROP INDEX visit_centre_date;
CREATE INDEX visit_newest ON visit (visit_date DESC, recorded_at DESC);
