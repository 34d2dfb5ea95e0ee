-- +goose Up
-- Campaigns (专项学习教育, 主题教育): a name, dates, the working group that
-- runs it and its 实施方案. Events and ledger items may belong to one, so
-- its figures can be drawn alone.
CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    org_path    TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('study','theme')),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    group_id    INTEGER REFERENCES working_groups(id),
    plan        TEXT NOT NULL DEFAULT '',  -- 实施方案 as text
    plan_name   TEXT NOT NULL DEFAULT '',  -- 实施方案 as a file (type checked by content)
    plan_type   TEXT NOT NULL DEFAULT '',
    plan_data   BLOB,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_path ON campaigns(org_path);
CREATE INDEX events_campaign ON events(campaign_id);

-- The rectification ledger (整改台账): one list of things to fix whatever
-- raised them. source says what raised an item ('manual', 'life_problem' —
-- a problem found at a 组织生活会/民主生活会 — and whatever the ledgers of
-- other modules add) and source_id which record of that source.
CREATE TABLE ledger_items (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    org_path     TEXT NOT NULL,
    source       TEXT NOT NULL,
    source_id    INTEGER,
    campaign_id  INTEGER REFERENCES campaigns(id),
    problem      TEXT NOT NULL,
    measures     TEXT NOT NULL DEFAULT '',
    owner_id     INTEGER NOT NULL REFERENCES people(id),
    opened_on    TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    closed_on    TEXT,               -- set when 已完成
    closure      TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX ledger_items_path ON ledger_items(org_path, opened_on);
CREATE INDEX ledger_items_open ON ledger_items(org_path, deadline) WHERE closed_on IS NULL;
CREATE INDEX ledger_items_campaign ON ledger_items(campaign_id);
CREATE UNIQUE INDEX ledger_items_source ON ledger_items(source, source_id) WHERE source_id IS NOT NULL;

CREATE TABLE ledger_progress (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES ledger_items(id),
    on_date     TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX ledger_progress_item ON ledger_progress(item_id);

-- Each participant's record at a 组织生活会 or 民主生活会: self-criticism,
-- criticism given and received, and the problems found.
CREATE TABLE life_records (
    id                  INTEGER PRIMARY KEY,
    event_id            INTEGER NOT NULL REFERENCES events(id),
    person_id           INTEGER NOT NULL REFERENCES people(id),
    self_criticism      TEXT NOT NULL DEFAULT '',
    criticism_given     TEXT NOT NULL DEFAULT '',
    criticism_received  TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (event_id, person_id)
);

CREATE TABLE life_problems (
    id          INTEGER PRIMARY KEY,
    record_id   INTEGER NOT NULL REFERENCES life_records(id),
    event_id    INTEGER NOT NULL REFERENCES events(id),
    content     TEXT NOT NULL,
    item_id     INTEGER REFERENCES ledger_items(id),  -- the ledger item it became
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX life_problems_record ON life_problems(record_id);
CREATE INDEX life_problems_event ON life_problems(event_id);

-- +goose Down
DROP TABLE life_problems;
DROP TABLE life_records;
DROP TABLE ledger_progress;
DROP TABLE ledger_items;
DROP INDEX events_campaign;
DROP TABLE campaigns;
