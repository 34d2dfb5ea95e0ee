-- +goose Up
-- The roster pages by cursor on (org_path, name_sort, id): with the id in
-- the index, a page is one index range from the cursor, read in order and
-- stopped after one page. Without it PostgreSQL sorts each run of equal
-- names by id, reading the whole run (thousands of rows where a name is
-- common) before it can return a page. SQLite's index already ends in the
-- rowid, which is the id.
DROP INDEX people_current;
CREATE INDEX people_current ON people(org_path, name_sort, id) WHERE left_on IS NULL;

-- +goose Down
DROP INDEX people_current;
CREATE INDEX people_current ON people(org_path, name_sort) WHERE left_on IS NULL;
