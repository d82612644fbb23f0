-- Each projection batch deletes and recomputes the rows of the children it touched (ChildSummaryRepository):
-- child_year's primary key (year, child_id) does not serve "child_id = ANY(...)", so the delete scanned the whole
-- table every batch (3.4 ms at 50 000 children, growing with every child). child_centre_year and
-- child_municipality_year have had their index on child_id from the start.
CREATE INDEX child_year_child ON child_year (child_id);
