-- +goose Up
-- Learning: study plans whose schedules create sessions (events of the
-- learning kinds), the materials library, the notes and reflections members
-- write online, and the yearly 学时 requirement.
CREATE TABLE learning_plans (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    org_path     TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    from_date    TEXT NOT NULL,
    to_date      TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX learning_plans_path ON learning_plans(org_path, from_date);

CREATE TABLE learning_schedules (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES learning_plans(id),
    kind_id     INTEGER NOT NULL REFERENCES event_kinds(id),
    title       TEXT NOT NULL,
    repeat_rule TEXT NOT NULL CHECK (repeat_rule IN ('daily','workdays','weekly','monthly')),
    weekday     INTEGER NOT NULL DEFAULT 0,
    month_day   INTEGER NOT NULL DEFAULT 0,
    start_clock TEXT NOT NULL,
    minutes     INTEGER NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX learning_schedules_plan ON learning_schedules(plan_id);

-- The sessions a plan created: one event a schedule title and day, so
-- creating them again adds only the missing ones.
CREATE TABLE learning_plan_sessions (
    plan_id   INTEGER NOT NULL REFERENCES learning_plans(id),
    event_id  INTEGER NOT NULL UNIQUE REFERENCES events(id),
    title     TEXT NOT NULL,
    day       TEXT NOT NULL,
    PRIMARY KEY (plan_id, title, day)
);

CREATE TABLE learning_materials (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    file_name     TEXT NOT NULL DEFAULT '',
    content_type  TEXT NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    sha256        TEXT NOT NULL DEFAULT '',
    data          BLOB,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX learning_materials_path ON learning_materials(org_path);

CREATE TABLE learning_readings (
    plan_id      INTEGER NOT NULL REFERENCES learning_plans(id),
    material_id  INTEGER NOT NULL REFERENCES learning_materials(id),
    required     BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, material_id)
);

CREATE TABLE learning_notes (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    org_path     TEXT NOT NULL,  -- the writer's organisation when written
    kind         TEXT NOT NULL CHECK (kind IN ('note','reflection')),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    chars        INTEGER NOT NULL,
    written_on   TEXT NOT NULL,  -- the China date: the period it counts in
    event_id     INTEGER REFERENCES events(id),
    material_id  INTEGER REFERENCES learning_materials(id),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX learning_notes_path ON learning_notes(org_path, written_on);
CREATE INDEX learning_notes_person ON learning_notes(person_id, written_on);

-- The yearly 学时 requirement, in tenths: one row.
CREATE TABLE learning_settings (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    member_tenths      INTEGER NOT NULL,
    committee_tenths   INTEGER NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
INSERT INTO learning_settings (id, member_tenths, committee_tenths) VALUES (1, 320, 560);

-- +goose Down
DROP TABLE learning_settings;
DROP TABLE learning_notes;
DROP TABLE learning_readings;
DROP TABLE learning_materials;
DROP TABLE learning_plan_sessions;
DROP TABLE learning_schedules;
DROP TABLE learning_plans;
