-- +goose Up
-- Each organisation's people as headcounts over time (an encoded
-- people.Headcounts: members, probationary, under 35, 50 years full, the
-- roster and the pipeline's steps, as the days people began and stopped
-- counting), kept by the store in the transaction of every change of its
-- people: a subtree's roster figures at any day add these up instead of
-- reading every person. Written afresh after every upgrade (Store.Migrate).
CREATE TABLE roster_counts (
    org_path TEXT COLLATE "C" PRIMARY KEY,
    counts   TEXT NOT NULL
);

-- +goose Down
DROP TABLE roster_counts;
