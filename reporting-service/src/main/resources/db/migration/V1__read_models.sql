-- Read models built only from the events; they can be dropped and rebuilt by replaying the topics.
CREATE TABLE report_visit (
    visit_id            uuid PRIMARY KEY,
    revision            integer     NOT NULL,
    centre_id           text        NOT NULL,
    visit_date          date        NOT NULL,
    child_pseudonym     text        NOT NULL,
    program_slot        text        NOT NULL,
    social_services     boolean     NOT NULL,
    interpreter_used    boolean     NOT NULL,
    has_risk_factor     boolean     NOT NULL,
    referrals           text        NOT NULL DEFAULT '',
    retracted           boolean     NOT NULL DEFAULT false
);
CREATE INDEX report_visit_date ON report_visit (visit_date);

CREATE TABLE report_payout_line (
    line_id          bigint PRIMARY KEY,
    centre_id        text        NOT NULL,
    period           text        NOT NULL,
    kind             text        NOT NULL,
    amount_ore       bigint      NOT NULL,
    funding_source   text        NOT NULL,
    rule_set         text        NOT NULL,
    visit_id         uuid,
    visit_date       date,
    child_pseudonym  text
);
CREATE INDEX report_payout_line_period ON report_payout_line (period);

CREATE TABLE processed_event (
    event_id      uuid PRIMARY KEY,
    event_type    text        NOT NULL,
    processed_at  timestamptz NOT NULL
);
