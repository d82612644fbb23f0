-- Fixed compensation with extended resource (DOMAIN.md rule 4): the region's yearly amount, per year, set by the
-- central child-health unit; the weighting is a setting of the rule set; one FIXED_MONTHLY line per centre and month.
CREATE TABLE fixed_yearly_amount (
    year       integer PRIMARY KEY,
    amount_ore bigint NOT NULL CHECK (amount_ore >= 0),
    source     text NOT NULL,
    set_at     timestamptz NOT NULL
);
ALTER TABLE rule_set ADD COLUMN fixed_weighting text NOT NULL DEFAULT 'LISTED_CHILDREN_TIMES_CNI'
    CHECK (fixed_weighting IN ('LISTED_CHILDREN_TIMES_CNI', 'CNI'));
CREATE UNIQUE INDEX payout_line_fixed_once ON payout_line (centre_id, period) WHERE kind = 'FIXED_MONTHLY';
