-- Centres from bhv.centres.v1 (the latest state per centre), for names, municipalities and compensation models.
CREATE TABLE report_centre (
    centre_id            text PRIMARY KEY,
    name                 text        NOT NULL,
    municipality         text        NOT NULL,
    compensation_model   text        NOT NULL,
    child_cni            numeric(6, 2),
    listed_children      integer     NOT NULL,
    fixed_approved_from  date,
    updated_at           timestamptz NOT NULL
);

-- A visit retracted before its record arrived is kept as a tombstone (retracted, no content), so the late record
-- cannot bring it back.
ALTER TABLE report_visit ALTER COLUMN visit_date DROP NOT NULL;
ALTER TABLE report_visit ALTER COLUMN child_pseudonym DROP NOT NULL;
ALTER TABLE report_visit ALTER COLUMN program_slot DROP NOT NULL;
CREATE INDEX report_visit_child ON report_visit (child_pseudonym);
CREATE INDEX report_payout_line_visit ON report_payout_line (visit_id);

-- What the region enters: the grant received per year, the other costs paid from it, the centres' narratives.
CREATE TABLE grant_year (
    year                 integer PRIMARY KEY,
    amount_received_ore  bigint      NOT NULL CHECK (amount_received_ore >= 0),
    project_code         text        NOT NULL,
    updated_at           timestamptz NOT NULL
);

CREATE TABLE grant_cost (
    cost_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year         integer     NOT NULL REFERENCES grant_year (year),
    kind         text        NOT NULL,
    reference    text        NOT NULL,
    cost_date    date        NOT NULL,
    amount_ore   bigint      NOT NULL CHECK (amount_ore > 0),
    description  text,
    created_at   timestamptz NOT NULL,
    UNIQUE (year, reference)
);

CREATE TABLE regional_narrative (
    year                  integer NOT NULL,
    centre_id             text    NOT NULL,
    form_and_content      text    NOT NULL,
    planned_development   text    NOT NULL,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (year, centre_id)
);
