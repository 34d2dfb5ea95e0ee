-- +goose Up
-- A roster file as uploaded, kept while its import is under way and a
-- while after: the update mode previews it and writes it once confirmed,
-- names the tree lacks are resolved and it runs again, and its error list
-- is the same sheet with a 错误说明 column. Each import job names its file;
-- files older than a week go when the next is uploaded.
CREATE TABLE import_uploads (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT REFERENCES users(id),
    org_path    TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    data        BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX import_uploads_created ON import_uploads(created_at);

-- +goose Down
DROP TABLE import_uploads;
