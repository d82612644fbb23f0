-- Who may have fixed compensation with extended resource, and when (issue 13). The routine (seed 000) names the
-- centres that may apply; the central child-health unit (Centrala barnhälsovårdsenheten) keeps that list and decides
-- on each application. A centre is on the fixed model only within an approved decision's period: the model is
-- effective-dated, and every change is a new row, never an overwrite.
CREATE TABLE fixed_eligible_centre (
    centre_id   text PRIMARY KEY REFERENCES centre,
    source      text        NOT NULL,
    listed_at   timestamptz NOT NULL
);

CREATE TABLE fixed_application (
    application_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_id       text        NOT NULL REFERENCES centre,
    received_on     date        NOT NULL,
    requested_from  date        NOT NULL,
    planned_use     text        NOT NULL,
    recorded_at     timestamptz NOT NULL
);
CREATE INDEX fixed_application_centre ON fixed_application (centre_id);

-- Decisions on applications, append-only: APPROVED (from effective_on), REJECTED, ENDED (the fixed model ends; the
-- centre is a variable-model centre again from effective_on). An application has at most one APPROVED or REJECTED
-- decision and at most one ENDED.
CREATE TABLE fixed_decision (
    decision_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  bigint      NOT NULL REFERENCES fixed_application,
    outcome         text        NOT NULL CHECK (outcome IN ('APPROVED', 'REJECTED', 'ENDED')),
    decision_ref    text        NOT NULL,
    decided_on      date        NOT NULL,
    effective_on    date,
    recorded_at     timestamptz NOT NULL,
    CHECK ((outcome = 'REJECTED') = (effective_on IS NULL))
);
CREATE UNIQUE INDEX fixed_decision_once ON fixed_decision (application_id, (outcome = 'ENDED'));

-- The centre's weighting figures, effective-dated: a month's share uses the figures in force on its first day.
CREATE TABLE centre_figures (
    centre_id               text          NOT NULL REFERENCES centre,
    valid_from              date          NOT NULL,
    child_cni               numeric(6, 2) NOT NULL,
    listed_children_0_to_5  integer       NOT NULL CHECK (listed_children_0_to_5 >= 0),
    recorded_at             timestamptz   NOT NULL,
    PRIMARY KEY (centre_id, valid_from)
);

-- For an ADJUSTMENT: the kind of money it adjusts (a late visit line keeps its own kind here, a reversal the kind it
-- reverses, a re-split of fixed compensation FIXED_MONTHLY).
ALTER TABLE payout_line ADD COLUMN adjusted_kind text
    CHECK (adjusted_kind IN ('JOINT_VISIT', 'ORDINARY_VISIT', 'FIXED_MONTHLY'));
UPDATE payout_line l SET adjusted_kind = CASE
        WHEN l.visit_id IS NULL THEN 'FIXED_MONTHLY'
        WHEN l.corrects_line_id IS NULL THEN substring(l.reason FROM '^for the closed period [0-9-]+ \(([A-Z_]+)\)')
        WHEN l.funding_source = 'STATE_GRANT' THEN 'JOINT_VISIT'
        ELSE 'ORDINARY_VISIT' END
    WHERE l.kind = 'ADJUSTMENT';

-- What was registered before this version: figures from the registry, and a migrated decision for every centre that
-- was on the fixed model (with the approval date it had).
INSERT INTO centre_figures SELECT centre_id, DATE '2000-01-01', child_cni, listed_children_0_to_5, now() FROM centre;
INSERT INTO fixed_eligible_centre
    SELECT centre_id, 'migrated: on the fixed model before decisions were recorded', now() FROM centre
    WHERE compensation_model = 'FIXED_EXTENDED';
INSERT INTO fixed_application (centre_id, received_on, requested_from, planned_use, recorded_at)
    SELECT centre_id, fixed_approved_from, fixed_approved_from, 'migrated: not recorded', now() FROM centre
    WHERE compensation_model = 'FIXED_EXTENDED' AND fixed_approved_from IS NOT NULL;
INSERT INTO fixed_decision (application_id, outcome, decision_ref, decided_on, effective_on, recorded_at)
    SELECT a.application_id, 'APPROVED', 'migrated', a.requested_from, a.requested_from, now()
    FROM fixed_application a;
