-- Per child summaries, so that a report reads one row per child (and centre) instead of every visit. Kept by the
-- projector: each batch recomputes the rows of the children it touched from report_visit (Projector, "summaries").
CREATE TABLE report_child (
    child_id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pseudonym  text NOT NULL UNIQUE
);

ALTER TABLE report_visit ADD COLUMN child_id integer;
CREATE INDEX report_visit_child_id ON report_visit (child_id);
DROP INDEX report_visit_child;

-- One row per year, centre and child: the child's non-retracted visits of that year at that centre. "completed" is
-- the child's, over all centres: a visit in each of the six slots by the end of the year.
CREATE TABLE child_centre_year (
    year          integer NOT NULL,
    centre_id     text    NOT NULL,
    child_id      integer NOT NULL,
    visits        integer NOT NULL,
    joint         integer NOT NULL,
    interpreter   integer NOT NULL,
    risk          integer NOT NULL,
    referred      integer NOT NULL,
    s_week_1_2    integer NOT NULL,
    s_month_2     integer NOT NULL,
    s_month_4     integer NOT NULL,
    s_month_8     integer NOT NULL,
    s_month_12    integer NOT NULL,
    s_month_15    integer NOT NULL,
    r_preschool        integer NOT NULL,
    r_maternal_health  integer NOT NULL,
    r_dental           integer NOT NULL,
    r_other            integer NOT NULL,
    completed     boolean NOT NULL,
    PRIMARY KEY (year, centre_id, child_id)
);
CREATE INDEX child_centre_year_child ON child_centre_year (child_id);

-- The same per year and child over all centres.
CREATE TABLE child_year (LIKE child_centre_year);
ALTER TABLE child_year DROP COLUMN centre_id;
ALTER TABLE child_year ADD PRIMARY KEY (year, child_id);

-- What was projected before this version.
INSERT INTO report_child (pseudonym)
    SELECT DISTINCT child_pseudonym FROM report_visit WHERE child_pseudonym IS NOT NULL ORDER BY 1;
UPDATE report_visit v SET child_id = c.child_id FROM report_child c WHERE c.pseudonym = v.child_pseudonym;
INSERT INTO child_centre_year
WITH v AS (
    SELECT child_id, centre_id, extract(year FROM visit_date)::int AS year, program_slot, social_services,
           interpreter_used, has_risk_factor, referrals,
           CASE program_slot WHEN 'WEEK_1_2' THEN 1 WHEN 'MONTH_2' THEN 2 WHEN 'MONTH_4' THEN 4 WHEN 'MONTH_8' THEN 8
                             WHEN 'MONTH_12' THEN 16 WHEN 'MONTH_15' THEN 32 ELSE 0 END AS bit
    FROM report_visit WHERE NOT retracted AND child_id IS NOT NULL),
cum AS (
    SELECT child_id, year, bit_or(bit_or(bit)) OVER (PARTITION BY child_id ORDER BY year) = 63 AS completed
    FROM v GROUP BY child_id, year)
SELECT v.year, v.centre_id, v.child_id, count(*), count(*) FILTER (WHERE social_services),
       count(*) FILTER (WHERE interpreter_used), count(*) FILTER (WHERE has_risk_factor),
       count(*) FILTER (WHERE referrals <> ''),
       count(*) FILTER (WHERE program_slot = 'WEEK_1_2'), count(*) FILTER (WHERE program_slot = 'MONTH_2'),
       count(*) FILTER (WHERE program_slot = 'MONTH_4'), count(*) FILTER (WHERE program_slot = 'MONTH_8'),
       count(*) FILTER (WHERE program_slot = 'MONTH_12'), count(*) FILTER (WHERE program_slot = 'MONTH_15'),
       count(*) FILTER (WHERE position('PRESCHOOL' IN referrals) > 0),
       count(*) FILTER (WHERE position('MATERNAL_HEALTH' IN referrals) > 0),
       count(*) FILTER (WHERE position('DENTAL' IN referrals) > 0),
       count(*) FILTER (WHERE position('OTHER' IN referrals) > 0),
       cum.completed
FROM v JOIN cum ON cum.child_id = v.child_id AND cum.year = v.year
GROUP BY v.year, v.centre_id, v.child_id, cum.completed;

INSERT INTO child_year
SELECT year, child_id, sum(visits), sum(joint), sum(interpreter), sum(risk), sum(referred), sum(s_week_1_2),
       sum(s_month_2), sum(s_month_4), sum(s_month_8), sum(s_month_12), sum(s_month_15), sum(r_preschool),
       sum(r_maternal_health), sum(r_dental), sum(r_other), bool_or(completed)
FROM child_centre_year GROUP BY year, child_id;
