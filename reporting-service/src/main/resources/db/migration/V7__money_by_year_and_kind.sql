-- Money where it belongs (issue 13): each payout line counts for the year it is for (the visit's, or the fixed
-- month's), whatever month it is paid in, and an adjustment counts as the kind of money it adjusts. PayoutLineBooked
-- carries forPeriod and adjustedKind since the second round; lines projected before are read as their period and
-- (for adjustments) as visit money by funding source, or fixed compensation when they have no visit.
ALTER TABLE report_payout_line ADD COLUMN for_period text;
ALTER TABLE report_payout_line ADD COLUMN money_kind text;
UPDATE report_payout_line SET
    for_period = coalesce(to_char(visit_date, 'YYYY-MM'), period),
    money_kind = CASE WHEN kind <> 'ADJUSTMENT' THEN kind WHEN visit_id IS NULL THEN 'FIXED_MONTHLY'
                      WHEN funding_source = 'STATE_GRANT' THEN 'JOINT_VISIT' ELSE 'ORDINARY_VISIT' END;
ALTER TABLE report_payout_line ALTER COLUMN for_period SET NOT NULL;
ALTER TABLE report_payout_line ALTER COLUMN money_kind SET NOT NULL;
ALTER TABLE report_payout_line ADD COLUMN for_year integer GENERATED ALWAYS AS (left(for_period, 4)::integer) STORED;
CREATE INDEX report_payout_line_grant_year ON report_payout_line (for_year, line_id) WHERE funding_source = 'STATE_GRANT';

-- The summary by the month the money is for (and so its year) and the kind of money, besides the month it is paid in.
DROP TABLE payout_summary;
CREATE TABLE payout_summary (
    period          text    NOT NULL,
    centre_id       text    NOT NULL,
    kind            text    NOT NULL,
    money_kind      text    NOT NULL,
    funding_source  text    NOT NULL,
    for_period      text    NOT NULL,
    for_year        integer GENERATED ALWAYS AS (left(for_period, 4)::integer) STORED,
    amount_ore      bigint  NOT NULL,
    lines           bigint  NOT NULL,
    PRIMARY KEY (period, centre_id, kind, money_kind, funding_source, for_period)
);
INSERT INTO payout_summary (period, centre_id, kind, money_kind, funding_source, for_period, amount_ore, lines)
SELECT period, centre_id, kind, money_kind, funding_source, for_period, sum(amount_ore), count(*)
FROM report_payout_line GROUP BY 1, 2, 3, 4, 5, 6;
CREATE INDEX payout_summary_for_year ON payout_summary (for_year);

-- The centres' approved periods of the fixed model (CentreUpdated.fixedPeriods; for older records, from the
-- approval date of a fixed-model centre).
CREATE TABLE report_centre_fixed_period (
    centre_id  text NOT NULL REFERENCES report_centre ON DELETE CASCADE,
    from_date  date NOT NULL,
    until      date,
    PRIMARY KEY (centre_id, from_date)
);
INSERT INTO report_centre_fixed_period
SELECT centre_id, fixed_approved_from, NULL FROM report_centre
WHERE compensation_model = 'FIXED_EXTENDED' AND fixed_approved_from IS NOT NULL;

-- Whether the visit was within the programme's ages (ProgramSlot.programmeEnd of the child's birth date), for the
-- conditions measured over the child's first 15 months whatever the year. Visits projected before are counted once
-- the read model is rebuilt from the topic (runbook).
ALTER TABLE report_visit ADD COLUMN in_programme boolean NOT NULL DEFAULT false;
-- Per child and year: the child's joint visits within the programme's ages (all years), so that "more than two joint
-- visits during the first 15 months" is the child's, not the year's.
ALTER TABLE child_centre_year ADD COLUMN programme_joint integer NOT NULL DEFAULT 0;
ALTER TABLE child_year ADD COLUMN programme_joint integer NOT NULL DEFAULT 0;
ALTER TABLE child_municipality_year ADD COLUMN programme_joint integer NOT NULL DEFAULT 0;
