-- The centre registry (owned here; published on bhv.centres.v1).
CREATE TABLE centre (
    centre_id               text PRIMARY KEY,
    name                    text          NOT NULL,
    municipality            text          NOT NULL,
    compensation_model      text          NOT NULL CHECK (compensation_model IN ('VARIABLE', 'FIXED_EXTENDED')),
    child_cni               numeric(6, 2) NOT NULL,
    listed_children_0_to_5  integer       NOT NULL CHECK (listed_children_0_to_5 >= 0),
    fixed_approved_from     date,
    updated_at              timestamptz   NOT NULL
);

-- Effective-dated payout rules: a visit is priced by the rule set valid on its visit date.
CREATE TABLE rule_set (
    rule_set_id         text PRIMARY KEY,
    valid_from          date          NOT NULL UNIQUE,
    joint_visit_ore     bigint        NOT NULL CHECK (joint_visit_ore >= 0),
    ordinary_visit_ore  bigint        NOT NULL CHECK (ordinary_visit_ore >= 0),
    required_kva_code   text          NOT NULL,
    cni_threshold       numeric(6, 2) NOT NULL,
    source              text          NOT NULL,
    created_at          timestamptz   NOT NULL
);
INSERT INTO rule_set VALUES ('R1', DATE '2025-09-18', 250000, 180000, 'ZV509', 2.00,
    'Region Örebro län, rutin 1138579 revision R1, giltig från 2025-09-18', now());

-- Immutable payout lines. line_id is the finance feed's order: lines are booked under one advisory lock,
-- so ids become visible in commit order and a cursor never skips one. Amounts in öre.
CREATE TABLE payout_line (
    line_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_id        text        NOT NULL,
    period           text        NOT NULL CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
    kind             text        NOT NULL CHECK (kind IN ('JOINT_VISIT', 'ORDINARY_VISIT', 'FIXED_MONTHLY', 'ADJUSTMENT')),
    amount_ore       bigint      NOT NULL,
    funding_source   text        NOT NULL CHECK (funding_source IN ('STATE_GRANT', 'ORDINARY')),
    rule_set_id      text        NOT NULL REFERENCES rule_set,
    reason           text        NOT NULL,
    flags            text        NOT NULL DEFAULT '',
    visit_id         uuid,
    visit_revision   integer,
    visit_date       date,
    child_pseudonym  text,
    source_event_id  uuid,
    booked_at        timestamptz NOT NULL,
    published_at     timestamptz
);
CREATE INDEX payout_line_unpublished ON payout_line (line_id) WHERE published_at IS NULL;
CREATE INDEX payout_line_centre_period ON payout_line (centre_id, period);
CREATE INDEX payout_line_visit ON payout_line (visit_id);

-- Every consumed event id, written in the same transaction as its effect: a redelivery changes nothing.
CREATE TABLE processed_event (
    event_id      uuid PRIMARY KEY,
    event_type    text        NOT NULL,
    processed_at  timestamptz NOT NULL
);
