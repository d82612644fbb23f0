-- The per-child summaries per municipality (the centre's municipality in the registry), so that a child seen at two
-- centres of one municipality is one child of it. Recomputed with the others, and for a centre's children when the
-- centre's municipality changes or the centre becomes known.
CREATE TABLE child_municipality_year (LIKE child_year);
ALTER TABLE child_municipality_year ADD COLUMN municipality text NOT NULL DEFAULT '';
ALTER TABLE child_municipality_year ALTER COLUMN municipality DROP DEFAULT;
ALTER TABLE child_municipality_year ADD PRIMARY KEY (year, municipality, child_id);
CREATE INDEX child_municipality_year_child ON child_municipality_year (child_id);

INSERT INTO child_municipality_year (year, municipality, child_id, visits, joint, interpreter, risk, referred,
    s_week_1_2, s_month_2, s_month_4, s_month_8, s_month_12, s_month_15, r_preschool, r_maternal_health, r_dental,
    r_other, completed)
SELECT t.year, coalesce(c.municipality, ''), t.child_id, sum(visits), sum(joint), sum(interpreter), sum(risk),
       sum(referred), sum(s_week_1_2), sum(s_month_2), sum(s_month_4), sum(s_month_8), sum(s_month_12),
       sum(s_month_15), sum(r_preschool), sum(r_maternal_health), sum(r_dental), sum(r_other), bool_or(completed)
FROM child_centre_year t LEFT JOIN report_centre c ON c.centre_id = t.centre_id
GROUP BY 1, 2, 3;
