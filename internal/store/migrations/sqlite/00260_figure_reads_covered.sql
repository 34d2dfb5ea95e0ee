-- +goose Up
-- The people figures (党员人数, 35岁以下占比, the development pipeline,
-- 学时达标率's members) count a subtree's people by their standing and
-- dates: from this index alone, instead of every person's row (names,
-- sealed numbers and all), which a province's year read a dozen times.
CREATE INDEX people_figures ON people(org_path, status, joined_on, left_on, full_on, birth_date, activist_on, candidate_on);

-- 学习笔记 and 心得体会 of a subtree added up (their count and characters)
-- from the index of notes by organisation, not from every note's text.
DROP INDEX learning_notes_path;
CREATE INDEX learning_notes_path ON learning_notes(org_path, written_on, kind, chars);

-- +goose Down
DROP INDEX learning_notes_path;
CREATE INDEX learning_notes_path ON learning_notes(org_path, written_on);
DROP INDEX people_figures;
