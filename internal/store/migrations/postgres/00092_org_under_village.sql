-- +goose Up
-- Whether an organisation sits inside a 村/社区 (its committees serve the
-- grassroots term): kept with the labels by every change to the tree.
ALTER TABLE orgs ADD COLUMN under_village BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE orgs DROP COLUMN under_village;
