-- report_payout_line keeps only the indexes its reads use (issue 18: every line projected wrote four index entries):
-- the evidence export and the grant's sums read by year (report_payout_line_grant_year), a redelivered line is
-- found by its key. No statement reads the lines by month or by visit (payout_summary holds the months).
DROP INDEX report_payout_line_period;
DROP INDEX report_payout_line_visit;
