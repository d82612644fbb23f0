-- A reversing line points at the line it corrects.
ALTER TABLE payout_line ADD COLUMN corrects_line_id bigint REFERENCES payout_line (line_id);
