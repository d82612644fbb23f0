ALTER TABLE visit ADD COLUMN retraction_reason text;
