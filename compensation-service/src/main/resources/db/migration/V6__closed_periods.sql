-- Finance closes a month: its statements never change again. A line meant for a closed month is paid in the first
-- open month after it, as an ADJUSTMENT; for_period keeps the month the money is for (period: the month it is paid in).
CREATE TABLE closed_period (
    period    text PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    closed_at timestamptz NOT NULL
);
ALTER TABLE payout_line ADD COLUMN for_period text;
UPDATE payout_line SET for_period = period;
ALTER TABLE payout_line ALTER COLUMN for_period SET NOT NULL;
-- fixed compensation once per centre and month it is for, wherever it is paid
DROP INDEX payout_line_fixed_once;
CREATE UNIQUE INDEX payout_line_fixed_once ON payout_line (centre_id, for_period)
    WHERE visit_id IS NULL AND corrects_line_id IS NULL;
