-- +goose Up
-- Events: every meeting, learning session, activity, talk and visit. Kinds
-- are data: a kind says who is expected, whether attendance is taken,
-- whether it counts as learning and for how many 学时, and which outcome
-- measures it records; a new kind needs no new table.
CREATE TABLE event_kinds (
    id                 INTEGER PRIMARY KEY,
    code               TEXT UNIQUE,  -- built-in kinds only; the rules' defaults name them
    name               TEXT NOT NULL UNIQUE,
    category           TEXT NOT NULL CHECK (category IN ('meeting','learning','practice','integrity','visit')),
    audience           TEXT NOT NULL CHECK (audience IN ('members','everyone','committee','chosen')),
    takes_attendance   BOOLEAN NOT NULL,
    counts_as_learning BOOLEAN NOT NULL,
    credit_tenths      INTEGER NOT NULL DEFAULT 0,
    allows_makeup      BOOLEAN NOT NULL,
    records_decisions  BOOLEAN NOT NULL,
    needs_quorum       BOOLEAN NOT NULL,
    sort_order         INTEGER NOT NULL DEFAULT 0,
    disabled           BOOLEAN NOT NULL DEFAULT FALSE,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL
);

CREATE TABLE event_kind_measures (
    id          INTEGER PRIMARY KEY,
    kind_id     INTEGER NOT NULL REFERENCES event_kinds(id),
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL DEFAULT '',
    aggregate   TEXT NOT NULL CHECK (aggregate IN ('sum','avg','max')),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    disabled    BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (kind_id, name)
);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,  -- the organisation's path, so a subtree is one range
    kind_id       INTEGER NOT NULL REFERENCES event_kinds(id),
    title         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('planned','held','cancelled')),
    planned_start TIMESTAMP NOT NULL,
    planned_end   TIMESTAMP NOT NULL,
    held_start    TIMESTAMP,
    held_end      TIMESTAMP,
    held_on       TEXT,           -- the China date of held_start: the period the event counts in
    place         TEXT NOT NULL DEFAULT '',
    host          TEXT NOT NULL DEFAULT '',
    recorder      TEXT NOT NULL DEFAULT '',
    topics        TEXT NOT NULL DEFAULT '',
    minutes       TEXT NOT NULL DEFAULT '',
    cancel_reason TEXT NOT NULL DEFAULT '',
    audience      TEXT NOT NULL CHECK (audience IN ('members','everyone','committee','chosen')),
    credit_tenths INTEGER NOT NULL DEFAULT 0,
    campaign_id   INTEGER,        -- campaigns (专题教育) come later: a bare reference until then
    walk_ins      BOOLEAN NOT NULL DEFAULT FALSE,
    qr_step       INTEGER NOT NULL DEFAULT 30,
    qr_margin     INTEGER NOT NULL DEFAULT 30,
    frozen_at     TIMESTAMP,      -- when the expected list was taken from the roster
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX events_path_planned ON events(org_path, planned_start);
CREATE INDEX events_path_held ON events(org_path, held_on) WHERE status = 'held';
CREATE INDEX events_org ON events(org_id);

-- Every kind an event counts as, the primary one included.
CREATE TABLE event_kind_links (
    event_id  INTEGER NOT NULL REFERENCES events(id),
    kind_id   INTEGER NOT NULL REFERENCES event_kinds(id),
    PRIMARY KEY (event_id, kind_id)
);
CREATE INDEX event_kind_links_kind ON event_kind_links(kind_id);

-- The people an organiser chose, for an event whose audience is a chosen
-- list; the frozen list is made from them.
CREATE TABLE event_invitees (
    event_id  INTEGER NOT NULL REFERENCES events(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (event_id, person_id)
);

-- The frozen list and its marks: one row per person and day.
CREATE TABLE event_attendance (
    event_id     INTEGER NOT NULL REFERENCES events(id),
    person_id    INTEGER NOT NULL REFERENCES people(id),
    day          TEXT NOT NULL,
    expected     BOOLEAN NOT NULL,
    mark         TEXT NOT NULL CHECK (mark IN ('unmarked','present','leave','absent')),
    leave_reason TEXT NOT NULL DEFAULT '',
    made_up_on   TEXT,
    makeup_how   TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '' CHECK (source IN ('','mark','import','qr')),
    marked_at    TIMESTAMP,
    PRIMARY KEY (event_id, person_id, day)
);
CREATE INDEX event_attendance_person ON event_attendance(person_id);

CREATE TABLE event_speakers (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    person_id   INTEGER REFERENCES people(id),
    name        TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    topic       TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_speakers_event ON event_speakers(event_id);

-- Each 集体决策事项 is an item that counts.
CREATE TABLE event_decisions (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    content     TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_decisions_event ON event_decisions(event_id);

CREATE TABLE event_measures (
    event_id    INTEGER NOT NULL REFERENCES events(id),
    measure_id  INTEGER NOT NULL REFERENCES event_kind_measures(id),
    value       REAL NOT NULL,
    PRIMARY KEY (event_id, measure_id)
);

-- Attachments live in the database, so every instance and every backup
-- has them; their type is checked by content and they are only ever
-- downloaded, never shown inline.
CREATE TABLE event_files (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events(id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX event_files_event ON event_files(event_id);

-- Required frequencies per kind of organisation (the compliance calendar):
-- seeded with the Rules' defaults, then edited by the administrator.
CREATE TABLE event_rules (
    id            INTEGER PRIMARY KEY,
    org_kind      TEXT NOT NULL,
    kind_id       INTEGER REFERENCES event_kinds(id),  -- NULL for an idle rule: any kind
    period        TEXT NOT NULL CHECK (period IN ('month','quarter','year','idle')),
    times         INTEGER NOT NULL,
    by_secretary  BOOLEAN NOT NULL DEFAULT FALSE,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    version       INTEGER NOT NULL DEFAULT 1
);

-- Per-organisation switches (为基层减负), inherited by the subtree from the
-- nearest organisation that has a row.
CREATE TABLE event_org_settings (
    org_id      INTEGER PRIMARY KEY REFERENCES orgs(id),
    qr_signin   BOOLEAN NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- Secrets every instance shares (the key that signs sign-in codes).
CREATE TABLE event_secrets (
    name        TEXT PRIMARY KEY,
    secret      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE event_secrets;
DROP TABLE event_org_settings;
DROP TABLE event_rules;
DROP TABLE event_files;
DROP TABLE event_measures;
DROP TABLE event_decisions;
DROP TABLE event_speakers;
DROP TABLE event_attendance;
DROP TABLE event_invitees;
DROP TABLE event_kind_links;
DROP TABLE events;
DROP TABLE event_kind_measures;
DROP TABLE event_kinds;
