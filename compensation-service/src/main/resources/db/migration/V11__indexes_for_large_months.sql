-- Reads that must stay quick however many lines a month holds (issue 18): a centre's statement streams its lines in
-- line order straight from this index, and the month's sums per centre and kind read it without the table; the
-- reconciliation finds a month's lines by period (the lines of visits never seen).
CREATE INDEX payout_line_statement ON payout_line (centre_id, period, line_id) INCLUDE (kind, amount_ore);
DROP INDEX payout_line_centre_period;
CREATE INDEX payout_line_period ON payout_line (period) WHERE visit_id IS NOT NULL;
