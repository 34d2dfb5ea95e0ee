-- +goose Up
-- The second factor (SECURITY.md 3). users.totp_secret (sealed like the
-- other secrets) holds the authenticator's key once its owner enrolled;
-- totp_step is the last step a code was accepted for, so no code works twice.
ALTER TABLE users ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_enrolled_at TIMESTAMP;

-- Recovery codes stand in for a lost phone, each once; only hashes are kept.
CREATE TABLE recovery_codes (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    code_hash   TEXT NOT NULL,
    used_at     TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

-- The second step of a login: the password was right, a code is awaited.
-- An enrolment keeps the offered secret (sealed) until a code proves it.
CREATE TABLE login_challenges (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    enrol       BOOLEAN NOT NULL DEFAULT FALSE,
    secret      TEXT NOT NULL DEFAULT '',
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges(user_id);

-- Which roles must give a code at login, set by the security administrator.
-- The three administrators always must; their rows are not consulted.
CREATE TABLE role_policies (
    role          TEXT PRIMARY KEY,
    second_factor BOOLEAN NOT NULL DEFAULT FALSE,
    version       INTEGER NOT NULL DEFAULT 1
);

-- +goose Down
DROP TABLE role_policies;
DROP TABLE login_challenges;
DROP TABLE recovery_codes;
ALTER TABLE users DROP COLUMN totp_enrolled_at;
ALTER TABLE users DROP COLUMN totp_step;
