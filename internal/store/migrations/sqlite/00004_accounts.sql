-- +goose Up
-- Two people make a working login (SECURITY.md 7): the system administrator
-- proposes an account (created_by), which has no password and does not work
-- until the security administrator activates it (activated_at). Whoever sets
-- a password that is not the owner's own is named (issued_by, issued_at):
-- the owner is told at login and the audit log marks logins made with it.
ALTER TABLE users ADD COLUMN created_by INTEGER REFERENCES users(id);
ALTER TABLE users ADD COLUMN activated_at TIMESTAMP;
ALTER TABLE users ADD COLUMN issued_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN issued_at TIMESTAMP;
UPDATE users SET activated_at = created_at;

-- Usernames are unique whatever their case, and a person has one account at
-- most; unique indexes hold both rules against concurrent writers. Accounts
-- made before this rule that break it are renamed or unlinked and disabled,
-- each with its audit record, so the indexes can be built.
INSERT INTO audit_log (at, user_id, username, ip, action, object_type, object_id, before_json, after_json)
    SELECT strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL, 'migration', 'local', 'user.rename', 'user', CAST(u.id AS TEXT),
        '{"username":"' || u.username || '"}', '{"username":"' || u.username || '-' || u.id || '"}'
    FROM users u WHERE EXISTS (SELECT 1 FROM users v WHERE lower(v.username) = lower(u.username) AND v.id < u.id);
UPDATE users SET username = username || '-' || id
    WHERE EXISTS (SELECT 1 FROM users v WHERE lower(v.username) = lower(users.username) AND v.id < users.id);
INSERT INTO audit_log (at, user_id, username, ip, action, object_type, object_id, before_json, after_json)
    SELECT strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL, 'migration', 'local', 'user.disable', 'user', CAST(u.id AS TEXT),
        '{"person_id":' || u.person_id || ',"disabled":' || CASE WHEN u.disabled THEN 'true' ELSE 'false' END || '}',
        '{"person_id":0,"disabled":true}'
    FROM users u WHERE EXISTS (SELECT 1 FROM users v WHERE v.person_id = u.person_id AND v.id < u.id);
UPDATE users SET person_id = NULL, disabled = TRUE
    WHERE EXISTS (SELECT 1 FROM users v WHERE v.person_id = users.person_id AND v.id < users.id);
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE disabled);
CREATE UNIQUE INDEX users_username_lower ON users(lower(username));
CREATE UNIQUE INDEX users_person ON users(person_id);

-- The hashes of the passwords each account's owner (or the operator) chose,
-- newest last; a new password may not repeat the last few. Temporary
-- passwords are random and never kept here.
CREATE TABLE password_history (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    hash        TEXT NOT NULL,
    set_at      TIMESTAMP NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);
INSERT INTO password_history (user_id, hash, set_at)
    SELECT id, password_hash, password_changed_at FROM users WHERE password_hash <> '' AND NOT must_change;

-- +goose Down
DROP TABLE password_history;
DROP INDEX users_person;
DROP INDEX users_username_lower;
ALTER TABLE users DROP COLUMN issued_at;
ALTER TABLE users DROP COLUMN issued_by;
ALTER TABLE users DROP COLUMN activated_at;
ALTER TABLE users DROP COLUMN created_by;
