-- +goose Up
-- How many current people (left_on IS NULL) each organisation holds, so the
-- roster's total for a subtree is a sum over its organisations instead of a
-- count over tens of thousands of people. A trigger keeps it in the same
-- transaction as every insert, move, transfer out and delete: no code path
-- has to remember it.
CREATE TABLE org_people (
    org_id  BIGINT PRIMARY KEY REFERENCES orgs(id),
    current INTEGER NOT NULL CHECK (current >= 0)
);
INSERT INTO org_people (org_id, current)
    SELECT org_id, COUNT(*) FROM people WHERE left_on IS NULL GROUP BY org_id;

-- +goose StatementBegin
CREATE FUNCTION people_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.left_on IS NULL THEN
        UPDATE org_people SET current = current - 1 WHERE org_id = OLD.org_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.left_on IS NULL THEN
        INSERT INTO org_people (org_id, current) VALUES (NEW.org_id, 1)
            ON CONFLICT (org_id) DO UPDATE SET current = org_people.current + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER people_count_insert AFTER INSERT OR DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION people_count();
CREATE TRIGGER people_count_update AFTER UPDATE OF org_id, left_on ON people
    FOR EACH ROW EXECUTE FUNCTION people_count();

-- +goose Down
DROP TRIGGER people_count_update ON people;
DROP TRIGGER people_count_insert ON people;
DROP FUNCTION people_count;
DROP TABLE org_people;
