-- +goose Up
-- A roster import running in the background, so a large file shows its
-- progress; kept in the database so any instance can answer the browser's
-- polling. A job whose row stops moving was cut off (instance restart).
CREATE TABLE import_jobs (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    file_name   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('running','done','rejected','failed')),
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    report      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX import_jobs_user ON import_jobs(user_id, id);

-- +goose Down
DROP TABLE import_jobs;
