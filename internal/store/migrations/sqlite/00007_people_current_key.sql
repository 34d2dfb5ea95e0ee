-- +goose Up
-- PostgreSQL's roster index gains the id here (see its 00007): the roster
-- pages by cursor on (org_path, name_sort, id). SQLite's people_current
-- already ends in the rowid, which is the id, so nothing changes.

-- +goose Down
