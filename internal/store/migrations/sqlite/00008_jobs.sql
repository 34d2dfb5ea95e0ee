-- +goose Up
-- Durable background work: an import uploaded on one instance, a reminder
-- due next Tuesday. Any instance claims due work with one conditional
-- UPDATE; a lease that runs out (the instance died) makes the job due again;
-- work due while every instance was down is found at the next start.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    dedupe_key  TEXT,
    user_id     INTEGER REFERENCES users(id),
    label       TEXT NOT NULL DEFAULT '',
    payload     TEXT NOT NULL DEFAULT '',
    input       BLOB,
    status      TEXT NOT NULL CHECK (status IN ('pending','running','done','failed')),
    due_at      TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    claimed_by  TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    result      TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, due_at);
CREATE INDEX jobs_user ON jobs(user_id, id);
CREATE UNIQUE INDEX jobs_dedupe ON jobs(dedupe_key);

-- +goose Down
DROP TABLE jobs;
