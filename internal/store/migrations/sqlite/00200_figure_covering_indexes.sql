-- +goose Up
-- Indexes of the marks that hold everything a province's figures read, so
-- they read index pages in order instead of fetching each of hundreds of
-- thousands of marks from the table.

-- The marks of an event with what a figure counts (expected, mark, made
-- up, person), in event order: a subtree's tallies and its distinct people
-- at learning events.
CREATE INDEX event_attendance_tally ON event_attendance(event_id, expected, mark, made_up_on, person_id);
-- The marks that earn 学时, person by person and day by day, now with the
-- mark and the make-up, which the condition of a member's hours tests.
DROP INDEX event_attendance_earned;
CREATE INDEX event_attendance_earned ON event_attendance(person_id, day, event_id, mark, made_up_on) WHERE mark = 'present' OR made_up_on IS NOT NULL;

-- +goose Down
DROP INDEX event_attendance_earned;
CREATE INDEX event_attendance_earned ON event_attendance(person_id, day, event_id) WHERE mark = 'present' OR made_up_on IS NOT NULL;
DROP INDEX event_attendance_tally;
