-- +goose Up
CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES orgs(id),
    kind        TEXT NOT NULL CHECK (kind IN ('committee','general_branch','branch','group','unit','township','village','grid','school')),
    name        TEXT NOT NULL,
    path        TEXT NOT NULL UNIQUE,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    term_start  TEXT,
    closed_on   TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);

CREATE TABLE org_events (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    at          TIMESTAMP NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create','rename','move','close','reopen')),
    from_value  TEXT NOT NULL DEFAULT '',
    to_value    TEXT NOT NULL DEFAULT '',
    username    TEXT NOT NULL
);
CREATE INDEX org_events_org ON org_events(org_id, at);

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,
    unit_id       INTEGER REFERENCES orgs(id),
    name          TEXT NOT NULL,
    name_initials TEXT NOT NULL,
    name_sort     TEXT NOT NULL,
    sex           TEXT NOT NULL CHECK (sex IN ('male','female')),
    birth_date    TEXT NOT NULL,
    ethnic        TEXT NOT NULL DEFAULT '',
    education     TEXT NOT NULL DEFAULT '',
    position      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('applicant','activist','candidate','probationary','full','masses')),
    applied_on    TEXT,
    activist_on   TEXT,
    candidate_on  TEXT,
    joined_on     TEXT,
    full_on       TEXT,
    -- Sensitive fields are written through a sealer (plain today, SM4 later)
    -- with a keyed blind index beside each for exact-match search.
    phone         TEXT NOT NULL DEFAULT '',
    phone_idx     TEXT NOT NULL DEFAULT '',
    id_number     TEXT NOT NULL DEFAULT '',
    id_number_idx TEXT,
    left_on       TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX people_id_number ON people(id_number_idx);
CREATE INDEX people_current ON people(org_path, name_sort) WHERE left_on IS NULL;
CREATE INDEX people_org ON people(org_id);
CREATE INDEX people_unit ON people(unit_id);
CREATE INDEX people_initials ON people(name_initials);

CREATE TABLE person_transfers (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    direction   TEXT NOT NULL CHECK (direction IN ('in','out','move')),
    on_date     TEXT NOT NULL,
    from_org_id INTEGER REFERENCES orgs(id),
    to_org_id   INTEGER REFERENCES orgs(id),
    external    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX person_transfers_person ON person_transfers(person_id, on_date);

CREATE TABLE committee_members (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    position    TEXT NOT NULL,
    duty        TEXT NOT NULL DEFAULT '',
    from_date   TEXT NOT NULL,
    to_date     TEXT,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX committee_members_org ON committee_members(org_id);

CREATE TABLE working_groups (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    purpose     TEXT NOT NULL DEFAULT '',
    office      TEXT NOT NULL DEFAULT '',
    set_up_on   TEXT NOT NULL,
    closed_on   TEXT,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX working_groups_org ON working_groups(org_id);

CREATE TABLE working_group_members (
    group_id    INTEGER NOT NULL REFERENCES working_groups(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    role        TEXT NOT NULL CHECK (role IN ('leader','deputy_leader','member','office_head')),
    PRIMARY KEY (group_id, person_id)
);

CREATE TABLE dict_items (
    id          INTEGER PRIMARY KEY,
    dict        TEXT NOT NULL,
    label       TEXT NOT NULL,
    aliases     TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    disabled    BOOLEAN NOT NULL DEFAULT FALSE,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (dict, label)
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL DEFAULT '',
    role                TEXT NOT NULL CHECK (role IN ('system_admin','security_admin','audit_admin','committee_admin','branch_admin','member')),
    org_id              INTEGER REFERENCES orgs(id),
    person_id           INTEGER REFERENCES people(id),
    password_hash       TEXT NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    must_change         BOOLEAN NOT NULL DEFAULT FALSE,
    failures            INTEGER NOT NULL DEFAULT 0,
    locked_until        TIMESTAMP,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    totp_secret         TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL,
    last_seen   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE setup_tokens (
    token_hash  TEXT PRIMARY KEY,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER,
    username    TEXT NOT NULL,
    ip          TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    org_path    TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);

-- The audit log is append-only for everyone, the application included.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE setup_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE dict_items;
DROP TABLE working_group_members;
DROP TABLE working_groups;
DROP TABLE committee_members;
DROP TABLE person_transfers;
DROP TABLE people;
DROP TABLE org_events;
DROP TABLE orgs;
