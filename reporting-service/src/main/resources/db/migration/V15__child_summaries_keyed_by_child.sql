-- The per-child summaries keyed by the child first (issue 18): every projection batch deletes and recomputes its
-- children's rows by child_id, and each row carried two index entries, its key (year, ...) and child_id for the
-- delete. With child_id leading the key, the key alone finds a child's rows and each row writes one entry. The reports
-- read a whole year of each table (nearly all of it) and group it, which they do from the table, not by the key;
-- the one read by centre (a centre moved to another municipality or became known) is rare and reads the table.
ALTER TABLE child_centre_year DROP CONSTRAINT child_centre_year_pkey;
ALTER TABLE child_centre_year ADD PRIMARY KEY (child_id, year, centre_id);
DROP INDEX child_centre_year_child;

ALTER TABLE child_year DROP CONSTRAINT child_year_pkey;
ALTER TABLE child_year ADD PRIMARY KEY (child_id, year);
DROP INDEX child_year_child;

ALTER TABLE child_municipality_year DROP CONSTRAINT child_municipality_year_pkey;
ALTER TABLE child_municipality_year ADD PRIMARY KEY (child_id, year, municipality);
DROP INDEX child_municipality_year_child;
