-- +goose Up
-- Other names offices write for a unit (市委政法委 for 市委政法委机关): the
-- roster import finds the unit by any of them. Kept as data, so an
-- administrator adds one from an import's report instead of a release.
CREATE TABLE unit_aliases (
    alias       TEXT PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX unit_aliases_org ON unit_aliases(org_id);

-- The history of roster imports: who imported which file when, in which
-- mode, with what outcome. org_path is the importer's scope, so each sees
-- the imports of their own part of the tree.
CREATE TABLE import_history (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    username    TEXT NOT NULL,
    org_path    TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('create', 'update')),
    rows_read   INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    problems    INTEGER NOT NULL DEFAULT 0,
    outcome     TEXT NOT NULL CHECK (outcome IN ('imported', 'previewed', 'rejected', 'unchanged'))
);
CREATE INDEX import_history_path ON import_history(org_path, at);

-- +goose Down
DROP TABLE import_history;
DROP TABLE unit_aliases;
