-- A visit's child is its number (child_id, from report_child, which keeps each pseudonym once): the pseudonym
-- written into every visit row as well was never read after V3 drew the numbers. Dropping the column rewrites
-- nothing; each projected visit now writes its row without it.
ALTER TABLE report_visit DROP COLUMN child_pseudonym;
