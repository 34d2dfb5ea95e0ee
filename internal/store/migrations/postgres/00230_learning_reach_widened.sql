-- +goose Up
-- SQLite's triggers on marks now widen a person's first and last days of
-- learning as PostgreSQL's (00210) always have: nothing to change here.
SELECT 1;

-- +goose Down
SELECT 1;
