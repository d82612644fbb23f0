-- The payout lines added up per period, centre, kind, funding source and the year of the visit (0: no visit), kept
-- by the projector as lines arrive (lines are immutable, so adding is exact): the reports' money in a few rows.
CREATE TABLE payout_summary (
    period          text    NOT NULL,
    centre_id       text    NOT NULL,
    kind            text    NOT NULL,
    funding_source  text    NOT NULL,
    visit_year      integer NOT NULL,
    amount_ore      bigint  NOT NULL,
    lines           bigint  NOT NULL,
    PRIMARY KEY (period, centre_id, kind, funding_source, visit_year)
);

INSERT INTO payout_summary
SELECT period, centre_id, kind, funding_source, coalesce(extract(year FROM visit_date)::int, 0), sum(amount_ore), count(*)
FROM report_payout_line GROUP BY 1, 2, 3, 4, 5;
