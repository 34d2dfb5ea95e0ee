-- +goose Up
-- The held events of every subtree added up by day: a row per path of an
-- organisation holding events and every path above it ('/' is the whole
-- tree), per day, learning flag, 学时 and kinds, with the events' tallies
-- (their marks, speakers and decisions) summed. A subtree's figures for a
-- year read its own few thousand rows, however many events and marks lie
-- below it, so they no longer grow with the records. Kept by triggers on
-- events in the same transaction as every event and every tally; store
-- tests prove the rows always equal the events added up from scratch.
CREATE TABLE event_totals (
    org_path         TEXT NOT NULL,
    held_on          TEXT NOT NULL,
    learning         BOOLEAN NOT NULL,
    credit_tenths    INTEGER NOT NULL,
    kinds            TEXT NOT NULL,
    events           INTEGER NOT NULL,
    speakers         INTEGER NOT NULL,
    decisions        INTEGER NOT NULL,
    expected         INTEGER NOT NULL,
    present          INTEGER NOT NULL,
    present_expected INTEGER NOT NULL,
    made_up          INTEGER NOT NULL,
    PRIMARY KEY (org_path, held_on, learning, credit_tenths, kinds)
) WITHOUT ROWID;
-- The paths above an event's organisation are the prefixes of its path
-- ending in '/': /1/10/28/ counts under /, /1/, /1/10/ and /1/10/28/.
INSERT INTO event_totals (org_path, held_on, learning, credit_tenths, kinds, events, speakers, decisions, expected, present, present_expected, made_up)
    WITH RECURSIVE cut(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cut WHERE n < (SELECT MAX(length(org_path)) FROM events))
    SELECT substr(e.org_path, 1, cut.n), e.held_on, e.learning, e.credit_tenths, e.kinds, COUNT(*), SUM(e.tally_speakers), SUM(e.tally_decisions),
        SUM(e.tally_expected), SUM(e.tally_present), SUM(e.tally_present_expected), SUM(e.tally_made_up)
    FROM events e JOIN cut ON cut.n <= length(e.org_path) AND substr(e.org_path, cut.n, 1) = '/'
    WHERE e.status = 'held'
    GROUP BY 1, 2, 3, 4, 5;

-- A held event's tally changed by a mark, a speaker or a decision, the
-- event staying where it is: the difference added to the totals above it
-- (a mark's cost, so kept to a few updates by key).
-- +goose StatementBegin
CREATE TRIGGER event_totals_tally AFTER UPDATE OF tally_expected, tally_present, tally_present_expected, tally_made_up, tally_speakers, tally_decisions ON events
WHEN OLD.status = 'held' AND NEW.status = 'held' AND OLD.held_on IS NEW.held_on AND OLD.org_path IS NEW.org_path AND OLD.learning IS NEW.learning
    AND OLD.credit_tenths IS NEW.credit_tenths AND OLD.kinds IS NEW.kinds
BEGIN
    UPDATE event_totals SET speakers = speakers + NEW.tally_speakers - OLD.tally_speakers, decisions = decisions + NEW.tally_decisions - OLD.tally_decisions,
        expected = expected + NEW.tally_expected - OLD.tally_expected, present = present + NEW.tally_present - OLD.tally_present,
        present_expected = present_expected + NEW.tally_present_expected - OLD.tally_present_expected, made_up = made_up + NEW.tally_made_up - OLD.tally_made_up
    WHERE held_on = NEW.held_on AND learning = NEW.learning AND credit_tenths = NEW.credit_tenths AND kinds = NEW.kinds
        AND org_path IN (WITH RECURSIVE cut(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cut WHERE n < length(NEW.org_path))
            SELECT substr(NEW.org_path, 1, n) FROM cut WHERE substr(NEW.org_path, n, 1) = '/');
END;
-- +goose StatementEnd
-- An event held, moved (its day, organisation, kinds or 学时 changed) or no
-- longer held: its old row taken out of the totals above it and its new one
-- added, in one statement, and a total no event is left in removed.
-- +goose StatementBegin
CREATE TRIGGER event_totals_insert AFTER INSERT ON events WHEN NEW.status = 'held'
BEGIN
    INSERT INTO event_totals (org_path, held_on, learning, credit_tenths, kinds, events, speakers, decisions, expected, present, present_expected, made_up)
        WITH RECURSIVE cut(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cut WHERE n < length(NEW.org_path))
        SELECT substr(NEW.org_path, 1, n), NEW.held_on, NEW.learning, NEW.credit_tenths, NEW.kinds, 1, NEW.tally_speakers, NEW.tally_decisions,
            NEW.tally_expected, NEW.tally_present, NEW.tally_present_expected, NEW.tally_made_up
        FROM cut WHERE substr(NEW.org_path, n, 1) = '/'
        ON CONFLICT (org_path, held_on, learning, credit_tenths, kinds) DO UPDATE SET events = events + excluded.events,
            speakers = speakers + excluded.speakers, decisions = decisions + excluded.decisions, expected = expected + excluded.expected,
            present = present + excluded.present, present_expected = present_expected + excluded.present_expected, made_up = made_up + excluded.made_up;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_totals_update AFTER UPDATE OF status, held_on, org_path, learning, credit_tenths, kinds, tally_expected, tally_present,
    tally_present_expected, tally_made_up, tally_speakers, tally_decisions ON events
WHEN (OLD.status = 'held' OR NEW.status = 'held') AND NOT (OLD.status = 'held' AND NEW.status = 'held' AND OLD.held_on IS NEW.held_on
    AND OLD.org_path IS NEW.org_path AND OLD.learning IS NEW.learning AND OLD.credit_tenths IS NEW.credit_tenths AND OLD.kinds IS NEW.kinds)
BEGIN
    INSERT INTO event_totals (org_path, held_on, learning, credit_tenths, kinds, events, speakers, decisions, expected, present, present_expected, made_up)
        WITH RECURSIVE cut(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cut WHERE n < max(length(OLD.org_path), length(NEW.org_path))),
        changed AS (
            SELECT -1 AS sign, OLD.org_path AS org_path, OLD.held_on AS held_on, OLD.learning AS learning, OLD.credit_tenths AS credit_tenths,
                OLD.kinds AS kinds, OLD.tally_speakers AS speakers, OLD.tally_decisions AS decisions, OLD.tally_expected AS expected,
                OLD.tally_present AS present, OLD.tally_present_expected AS present_expected, OLD.tally_made_up AS made_up
            WHERE OLD.status = 'held'
            UNION ALL
            SELECT 1, NEW.org_path, NEW.held_on, NEW.learning, NEW.credit_tenths, NEW.kinds, NEW.tally_speakers, NEW.tally_decisions,
                NEW.tally_expected, NEW.tally_present, NEW.tally_present_expected, NEW.tally_made_up
            WHERE NEW.status = 'held')
        SELECT substr(c.org_path, 1, cut.n), c.held_on, c.learning, c.credit_tenths, c.kinds, SUM(c.sign), SUM(c.sign * c.speakers),
            SUM(c.sign * c.decisions), SUM(c.sign * c.expected), SUM(c.sign * c.present), SUM(c.sign * c.present_expected), SUM(c.sign * c.made_up)
        FROM changed c JOIN cut ON cut.n <= length(c.org_path) AND substr(c.org_path, cut.n, 1) = '/'
        WHERE true
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (org_path, held_on, learning, credit_tenths, kinds) DO UPDATE SET events = events + excluded.events,
            speakers = speakers + excluded.speakers, decisions = decisions + excluded.decisions, expected = expected + excluded.expected,
            present = present + excluded.present, present_expected = present_expected + excluded.present_expected, made_up = made_up + excluded.made_up;
    DELETE FROM event_totals WHERE OLD.status = 'held' AND events = 0 AND held_on = OLD.held_on AND learning = OLD.learning
        AND credit_tenths = OLD.credit_tenths AND kinds = OLD.kinds
        AND org_path IN (WITH RECURSIVE cut(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cut WHERE n < length(OLD.org_path))
            SELECT substr(OLD.org_path, 1, n) FROM cut WHERE substr(OLD.org_path, n, 1) = '/');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_totals_delete AFTER DELETE ON events WHEN OLD.status = 'held'
BEGIN
    UPDATE event_totals SET events = events - 1, speakers = speakers - OLD.tally_speakers, decisions = decisions - OLD.tally_decisions,
        expected = expected - OLD.tally_expected, present = present - OLD.tally_present, present_expected = present_expected - OLD.tally_present_expected,
        made_up = made_up - OLD.tally_made_up
    WHERE held_on = OLD.held_on AND learning = OLD.learning AND credit_tenths = OLD.credit_tenths AND kinds = OLD.kinds
        AND org_path IN (WITH RECURSIVE cut(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cut WHERE n < length(OLD.org_path))
            SELECT substr(OLD.org_path, 1, n) FROM cut WHERE substr(OLD.org_path, n, 1) = '/');
    DELETE FROM event_totals WHERE events = 0 AND held_on = OLD.held_on AND learning = OLD.learning AND credit_tenths = OLD.credit_tenths AND kinds = OLD.kinds
        AND org_path IN (WITH RECURSIVE cut(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cut WHERE n < length(OLD.org_path))
            SELECT substr(OLD.org_path, 1, n) FROM cut WHERE substr(OLD.org_path, n, 1) = '/');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER event_totals_delete;
DROP TRIGGER event_totals_tally;
DROP TRIGGER event_totals_update;
DROP TRIGGER event_totals_insert;
DROP TABLE event_totals;
