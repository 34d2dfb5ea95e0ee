-- +goose Up
-- Roster imports run on the durable job queue (jobs, 00008); their own
-- table is no longer used.
DROP TABLE import_jobs;

-- +goose Down
SELECT 1; -- the table is not recreated: its rows were progress, not records
