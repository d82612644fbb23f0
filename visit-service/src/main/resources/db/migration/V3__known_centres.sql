-- The local copy of compensation-service's centre registry (from bhv.centres.v1): visits for other centres are refused.
CREATE TABLE known_centre (
    centre_id   text PRIMARY KEY,
    name        text        NOT NULL,
    updated_at  timestamptz NOT NULL
);
