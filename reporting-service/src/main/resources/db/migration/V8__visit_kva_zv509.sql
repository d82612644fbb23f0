-- Whether a visit was coded ZV509 (the KVÅ code of a joint home visit): the console shows the year's share. Visits
-- projected before this column read as not coded until their next event.
ALTER TABLE report_visit ADD COLUMN zv509 boolean NOT NULL DEFAULT false;
