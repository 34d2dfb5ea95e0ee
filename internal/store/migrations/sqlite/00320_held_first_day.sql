-- +goose Up
-- The first day each organisation held anything in a year, beside what it
-- held by month: an organisation's first held day over all years is then
-- the least of its rows (the calendar judges an organisation entered after
-- its records began from its first meeting) instead of a look-up in the
-- events per organisation, fifteen thousand in a province. Written with
-- the rest of the table after every upgrade (Store.Migrate).
ALTER TABLE held_months ADD COLUMN first_held TEXT;
-- A subtree's organisations in path order with their first days: a
-- branch's is one entry, not a read of every organisation's years.
CREATE INDEX held_months_first ON held_months(org_path, first_held);

-- +goose Down
DROP INDEX held_months_first;
ALTER TABLE held_months DROP COLUMN first_held;
