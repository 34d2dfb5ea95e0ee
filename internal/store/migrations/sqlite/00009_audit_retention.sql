-- +goose Up
-- Audit retention: records older than the legal minimum (184 days, 等保 "at
-- least six months") may leave the database only after they were archived
-- to a signed file, which this table records. Everything else stays refused.
CREATE TABLE audit_archives (
    id          INTEGER PRIMARY KEY,
    up_to_id    INTEGER NOT NULL,
    before_at   TIMESTAMP NOT NULL,
    records     INTEGER NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    username    TEXT NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- +goose StatementEnd

-- A record may be deleted only when an archive covers it and it is older
-- than 184 days; the minimum is written here, not in configuration.
DROP TRIGGER audit_log_no_delete;
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.id > COALESCE((SELECT MAX(up_to_id) FROM audit_archives), 0)
  OR julianday(OLD.at) > julianday('now', '-184 days')
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_no_delete;
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- +goose StatementEnd
DROP TABLE audit_archives;
