-- The projector updates a child's summary rows in place when their figures change (ChildSummaryRepository), instead
-- of deleting and inserting them: an update that keeps the row's key needs no new index entry when the new version
-- fits on the same page (a HOT update). A fifth of each page is left free for that (pages written from now on).
ALTER TABLE child_centre_year SET (fillfactor = 80);
ALTER TABLE child_year SET (fillfactor = 80);
ALTER TABLE child_municipality_year SET (fillfactor = 80);
