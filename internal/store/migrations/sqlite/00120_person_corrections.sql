-- +goose Up
-- A member's report of a wrong entry in their own record, answered by the
-- secretary of their branch (accepted or declined with a reason). org_path
-- is the person's at the time of the report, so the branch that keeps the
-- roster sees it in its scope.
CREATE TABLE person_corrections (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    org_path     TEXT NOT NULL,
    text         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','declined')),
    answer       TEXT NOT NULL DEFAULT '',
    requested_by INTEGER REFERENCES users(id),
    decided_by   INTEGER REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL,
    decided_at   TIMESTAMP
);
CREATE INDEX person_corrections_path ON person_corrections(org_path, state);
CREATE INDEX person_corrections_person ON person_corrections(person_id);

-- +goose Down
DROP TABLE person_corrections;
