-- +goose Up
-- The index of held events led by the year they were held in: a year's
-- figures of a subtree (a province's or a branch's) are one range of it,
-- instead of the subtree's events of every year with the others skipped;
-- a span across years lists its years. Organisations' first and last held
-- days, over all years, read the narrow index by path again.
ALTER TABLE events ADD COLUMN held_year INTEGER GENERATED ALWAYS AS (CAST(substr(held_on, 1, 4) AS INTEGER)) VIRTUAL;
DROP INDEX events_held;
CREATE INDEX events_held ON events(held_year, org_path, held_on, learning, credit_tenths, tally_expected, tally_present, tally_present_expected, tally_made_up,
    tally_speakers, tally_decisions, kinds) WHERE status = 'held';
CREATE INDEX events_path_held ON events(org_path, held_on) WHERE status = 'held';

-- +goose Down
DROP INDEX events_path_held;
DROP INDEX events_held;
CREATE INDEX events_held ON events(org_path, held_on, learning, credit_tenths, tally_expected, tally_present, tally_present_expected, tally_made_up,
    tally_speakers, tally_decisions, kinds) WHERE status = 'held';
ALTER TABLE events DROP COLUMN held_year;
