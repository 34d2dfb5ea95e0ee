-- +goose Up
-- What each organisation held in a year, by kind and month (an encoded
-- event.HeldMonths), kept by the store in the transaction of every event
-- and every change of a secretary: a province's calendar, dashboard and
-- summary add these up instead of reading every meeting of the year. The
-- store writes it afresh after every upgrade (Store.Migrate), as the
-- counts follow the code that makes them.
CREATE TABLE held_months (
    year     INTEGER NOT NULL,
    org_path TEXT NOT NULL,
    held     TEXT NOT NULL,
    PRIMARY KEY (year, org_path)
) WITHOUT ROWID;
-- The held events after a day: the rest of today's month, which the
-- calendar takes away from the kept counts (almost always none).
CREATE INDEX events_held_on ON events(held_on) WHERE status = 'held';

-- +goose Down
DROP INDEX events_held_on;
DROP TABLE held_months;
