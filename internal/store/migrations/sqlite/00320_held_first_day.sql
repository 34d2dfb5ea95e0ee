-- +goose Up
-- The first day each organisation held anything in a year, beside what it
-- held by month: an organisation's first held day over all years is then
-- the least of its rows (the calendar judges an organisation entered after
-- its records began from its first meeting) instead of a look-up in the
-- events per organisation, fifteen thousand in a province. Written with
-- the rest of the table after every upgrade (Store.Migrate).
ALTER TABLE held_months ADD COLUMN first_held TEXT;

-- +goose Down
ALTER TABLE held_months DROP COLUMN first_held;
