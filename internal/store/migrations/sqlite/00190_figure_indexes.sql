-- +goose Up
-- The figures of a subtree count its people on the roster at a day, which
-- the partial index people_current (people still on the roster today)
-- cannot serve: without this index one branch's figures read the whole
-- province's people. Ordered as the roster lists, it also serves the
-- roster's 全部人员 tab (people who left included).
CREATE INDEX people_path ON people(org_path, name_sort, id);
-- A member's committee seats, looked up per person for the 学时 requirement.
CREATE INDEX committee_members_person ON committee_members(person_id);
-- The marks that earn 学时 (present or made up), person by person and day
-- by day, with their event: a member's hours without reading every mark.
CREATE INDEX event_attendance_earned ON event_attendance(person_id, day, event_id) WHERE mark = 'present' OR made_up_on IS NOT NULL;

-- Whether an event counts as learning by any of its kinds, kept by every
-- change to its kinds and to a kind's counts_as_learning in the same
-- transaction (store: tx.relearn), so that figures over hundreds of
-- thousands of marks test a column instead of a subquery per mark.
ALTER TABLE events ADD COLUMN learning BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE events SET learning = EXISTS (SELECT 1 FROM event_kind_links l JOIN event_kinds k ON k.id = l.kind_id
    WHERE l.event_id = events.id AND k.counts_as_learning);

-- +goose Down
ALTER TABLE events DROP COLUMN learning;
DROP INDEX event_attendance_earned;
DROP INDEX committee_members_person;
DROP INDEX people_path;
