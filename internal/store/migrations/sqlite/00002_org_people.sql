-- +goose Up
-- How many current people (left_on IS NULL) each organisation holds, so the
-- roster's total for a subtree is a sum over its organisations instead of a
-- count over tens of thousands of people. Triggers keep it in the same
-- transaction as every insert, move, transfer out and delete: no code path
-- has to remember it.
CREATE TABLE org_people (
    org_id  INTEGER PRIMARY KEY REFERENCES orgs(id),
    current INTEGER NOT NULL CHECK (current >= 0)
);
INSERT INTO org_people (org_id, current)
    SELECT org_id, COUNT(*) FROM people WHERE left_on IS NULL GROUP BY org_id;

-- +goose StatementBegin
CREATE TRIGGER people_count_insert AFTER INSERT ON people WHEN NEW.left_on IS NULL
BEGIN
    INSERT INTO org_people (org_id, current) VALUES (NEW.org_id, 1)
        ON CONFLICT (org_id) DO UPDATE SET current = current + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_count_update AFTER UPDATE OF org_id, left_on ON people
BEGIN
    UPDATE org_people SET current = current - 1 WHERE org_id = OLD.org_id AND OLD.left_on IS NULL;
    INSERT INTO org_people (org_id, current) SELECT NEW.org_id, 1 WHERE NEW.left_on IS NULL
        ON CONFLICT (org_id) DO UPDATE SET current = current + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_count_delete AFTER DELETE ON people WHEN OLD.left_on IS NULL
BEGIN
    UPDATE org_people SET current = current - 1 WHERE org_id = OLD.org_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER people_count_delete;
DROP TRIGGER people_count_update;
DROP TRIGGER people_count_insert;
DROP TABLE org_people;
