-- +goose Up
-- Each organisation's label: as much of its path as tells it apart from the
-- others (第一党支部 › 第一党小组). Kept in the transaction of every change to
-- the tree (store.relabelOrgs), so a list reads it with its rows and every
-- instance shows the same; filled for existing trees by Migrate.
ALTER TABLE orgs ADD COLUMN label TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orgs DROP COLUMN label;
