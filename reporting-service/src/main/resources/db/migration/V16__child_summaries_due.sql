-- The children whose summaries (child_centre_year, child_year, child_municipality_year) are due to be recomputed
-- (issue 18). A projection batch marks its children here, in its own transaction, instead of recomputing their
-- summaries there and then: under a burst the summaries are brought up to date after it, when the projection is quiet
-- or a mark is a few seconds old, and always before a report is computed (ChildSummaries). A mark is committed with
-- the visits that made it, so a stop or a crash at any point leaves it to be done, never lost.
CREATE TABLE child_summary_due (child_id integer PRIMARY KEY);
