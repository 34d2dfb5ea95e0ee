-- +goose Up
-- What a province's figures would otherwise add up from hundreds of
-- thousands of marks each time, kept by triggers in the same transaction
-- as every mark and every event they come from: no code path has to
-- remember them, and store tests prove they always equal a count from
-- scratch.

-- Each event's marks added up: the tallies of event.Compute.
ALTER TABLE events ADD COLUMN tally_expected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN tally_present INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN tally_present_expected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN tally_made_up INTEGER NOT NULL DEFAULT 0;
UPDATE events SET (tally_expected, tally_present, tally_present_expected, tally_made_up) = (
    SELECT COALESCE(SUM(CASE WHEN a.expected THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN a.mark = 'present' THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN a.mark = 'present' AND a.expected THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN a.made_up_on IS NOT NULL THEN 1 ELSE 0 END), 0)
    FROM event_attendance a WHERE a.event_id = events.id);
-- And its speakers and decisions.
ALTER TABLE events ADD COLUMN tally_speakers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN tally_decisions INTEGER NOT NULL DEFAULT 0;
UPDATE events SET tally_speakers = (SELECT COUNT(*) FROM event_speakers x WHERE x.event_id = events.id),
    tally_decisions = (SELECT COUNT(*) FROM event_decisions x WHERE x.event_id = events.id);
-- The held events of a subtree with their tallies, read from the index
-- alone; it serves whatever the index of held events by path served.
DROP INDEX events_path_held;
CREATE INDEX events_held ON events(org_path, held_on, learning, credit_tenths, tally_expected, tally_present, tally_present_expected, tally_made_up,
    tally_speakers, tally_decisions) WHERE status = 'held';

-- Differences to the tallies of events not yet folded into them, which a
-- figure adds and a job folds. On SQLite, which writes one transaction at
-- a time, a mark updates its event's tally at once and this stays empty;
-- on PostgreSQL hundreds of sign-ins to one event would queue on its row,
-- so there a mark adds a row here.
CREATE TABLE event_tally_deltas (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER NOT NULL,
    expected         INTEGER NOT NULL,
    present          INTEGER NOT NULL,
    present_expected INTEGER NOT NULL,
    made_up          INTEGER NOT NULL
);

-- Who was expected at learning events (held, counting as learning) of an
-- organisation in a year, and when first and last; when first and last
-- present or made up. A span that is whole years, or begins or ends a
-- year, counts its distinct people from these rows instead of the marks.
CREATE TABLE learning_reach (
    year           INTEGER NOT NULL,
    org_path       TEXT NOT NULL,
    person_id      INTEGER NOT NULL,
    first_expected TEXT NOT NULL,
    last_expected  TEXT NOT NULL,
    first_covered  TEXT,
    last_covered   TEXT,
    PRIMARY KEY (year, org_path, person_id)
) WITHOUT ROWID;
INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
    SELECT CAST(substr(e.held_on, 1, 4) AS INTEGER), e.org_path, a.person_id, MIN(e.held_on), MAX(e.held_on),
        MIN(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END), MAX(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END)
    FROM event_attendance a JOIN events e ON e.id = a.event_id
    WHERE a.expected AND e.status = 'held' AND e.learning
    GROUP BY CAST(substr(e.held_on, 1, 4) AS INTEGER), e.org_path, a.person_id;

-- A mark counts in its event's tally.
-- +goose StatementBegin
CREATE TRIGGER event_tally_insert AFTER INSERT ON event_attendance
BEGIN
    UPDATE events SET tally_expected = tally_expected + (CASE WHEN NEW.expected THEN 1 ELSE 0 END),
        tally_present = tally_present + (CASE WHEN NEW.mark = 'present' THEN 1 ELSE 0 END),
        tally_present_expected = tally_present_expected + (CASE WHEN NEW.mark = 'present' AND NEW.expected THEN 1 ELSE 0 END),
        tally_made_up = tally_made_up + (CASE WHEN NEW.made_up_on IS NOT NULL THEN 1 ELSE 0 END)
    WHERE id = NEW.event_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_tally_delete AFTER DELETE ON event_attendance
BEGIN
    UPDATE events SET tally_expected = tally_expected - (CASE WHEN OLD.expected THEN 1 ELSE 0 END),
        tally_present = tally_present - (CASE WHEN OLD.mark = 'present' THEN 1 ELSE 0 END),
        tally_present_expected = tally_present_expected - (CASE WHEN OLD.mark = 'present' AND OLD.expected THEN 1 ELSE 0 END),
        tally_made_up = tally_made_up - (CASE WHEN OLD.made_up_on IS NOT NULL THEN 1 ELSE 0 END)
    WHERE id = OLD.event_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_tally_update AFTER UPDATE OF event_id, expected, mark, made_up_on ON event_attendance
BEGIN
    UPDATE events SET tally_expected = tally_expected - (CASE WHEN OLD.expected THEN 1 ELSE 0 END),
        tally_present = tally_present - (CASE WHEN OLD.mark = 'present' THEN 1 ELSE 0 END),
        tally_present_expected = tally_present_expected - (CASE WHEN OLD.mark = 'present' AND OLD.expected THEN 1 ELSE 0 END),
        tally_made_up = tally_made_up - (CASE WHEN OLD.made_up_on IS NOT NULL THEN 1 ELSE 0 END)
    WHERE id = OLD.event_id;
    UPDATE events SET tally_expected = tally_expected + (CASE WHEN NEW.expected THEN 1 ELSE 0 END),
        tally_present = tally_present + (CASE WHEN NEW.mark = 'present' THEN 1 ELSE 0 END),
        tally_present_expected = tally_present_expected + (CASE WHEN NEW.mark = 'present' AND NEW.expected THEN 1 ELSE 0 END),
        tally_made_up = tally_made_up + (CASE WHEN NEW.made_up_on IS NOT NULL THEN 1 ELSE 0 END)
    WHERE id = NEW.event_id;
END;
-- +goose StatementEnd

-- A speaker or a decision counts in its event's tally.
-- +goose StatementBegin
CREATE TRIGGER event_tally_speaker_insert AFTER INSERT ON event_speakers
BEGIN
    UPDATE events SET tally_speakers = tally_speakers + 1 WHERE id = NEW.event_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_tally_speaker_delete AFTER DELETE ON event_speakers
BEGIN
    UPDATE events SET tally_speakers = tally_speakers - 1 WHERE id = OLD.event_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_tally_speaker_update AFTER UPDATE OF event_id ON event_speakers
BEGIN
    UPDATE events SET tally_speakers = tally_speakers - 1 WHERE id = OLD.event_id;
    UPDATE events SET tally_speakers = tally_speakers + 1 WHERE id = NEW.event_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_tally_decision_insert AFTER INSERT ON event_decisions
BEGIN
    UPDATE events SET tally_decisions = tally_decisions + 1 WHERE id = NEW.event_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_tally_decision_delete AFTER DELETE ON event_decisions
BEGIN
    UPDATE events SET tally_decisions = tally_decisions - 1 WHERE id = OLD.event_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_tally_decision_update AFTER UPDATE OF event_id ON event_decisions
BEGIN
    UPDATE events SET tally_decisions = tally_decisions - 1 WHERE id = OLD.event_id;
    UPDATE events SET tally_decisions = tally_decisions + 1 WHERE id = NEW.event_id;
END;
-- +goose StatementEnd

-- A mark at a held learning event counts its person again for the
-- event's organisation and year: the row is deleted and added up anew from
-- that person's marks (a first or last day cannot be adjusted by one mark).
-- +goose StatementBegin
CREATE TRIGGER learning_reach_insert AFTER INSERT ON event_attendance
WHEN NEW.expected AND EXISTS (SELECT 1 FROM events WHERE id = NEW.event_id AND status = 'held' AND learning)
BEGIN
    DELETE FROM learning_reach WHERE person_id = NEW.person_id
        AND (year, org_path) = (SELECT CAST(substr(held_on, 1, 4) AS INTEGER), org_path FROM events WHERE id = NEW.event_id);
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT CAST(substr(k.held_on, 1, 4) AS INTEGER), k.org_path, a.person_id, MIN(e.held_on), MAX(e.held_on),
            MIN(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END), MAX(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END)
        FROM events k, event_attendance a JOIN events e ON e.id = a.event_id
        WHERE k.id = NEW.event_id AND a.person_id = NEW.person_id AND a.expected AND e.status = 'held' AND e.learning
            AND e.org_path = k.org_path AND substr(e.held_on, 1, 4) = substr(k.held_on, 1, 4)
        GROUP BY a.person_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER learning_reach_delete AFTER DELETE ON event_attendance
WHEN OLD.expected AND EXISTS (SELECT 1 FROM events WHERE id = OLD.event_id AND status = 'held' AND learning)
BEGIN
    DELETE FROM learning_reach WHERE person_id = OLD.person_id
        AND (year, org_path) = (SELECT CAST(substr(held_on, 1, 4) AS INTEGER), org_path FROM events WHERE id = OLD.event_id);
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT CAST(substr(k.held_on, 1, 4) AS INTEGER), k.org_path, a.person_id, MIN(e.held_on), MAX(e.held_on),
            MIN(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END), MAX(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END)
        FROM events k, event_attendance a JOIN events e ON e.id = a.event_id
        WHERE k.id = OLD.event_id AND a.person_id = OLD.person_id AND a.expected AND e.status = 'held' AND e.learning
            AND e.org_path = k.org_path AND substr(e.held_on, 1, 4) = substr(k.held_on, 1, 4)
        GROUP BY a.person_id;
END;
-- +goose StatementEnd
-- An update is the old mark gone and the new one added: the old key anew,
-- and the new one when the mark moved (it never does today).
-- +goose StatementBegin
CREATE TRIGGER learning_reach_update AFTER UPDATE OF event_id, person_id, expected, mark, made_up_on ON event_attendance
WHEN (OLD.expected OR NEW.expected) AND EXISTS (SELECT 1 FROM events WHERE id IN (OLD.event_id, NEW.event_id) AND status = 'held' AND learning)
BEGIN
    DELETE FROM learning_reach WHERE person_id = OLD.person_id
        AND (year, org_path) = (SELECT CAST(substr(held_on, 1, 4) AS INTEGER), org_path FROM events WHERE id = OLD.event_id);
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT CAST(substr(k.held_on, 1, 4) AS INTEGER), k.org_path, a.person_id, MIN(e.held_on), MAX(e.held_on),
            MIN(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END), MAX(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END)
        FROM events k, event_attendance a JOIN events e ON e.id = a.event_id
        WHERE k.id = OLD.event_id AND a.person_id = OLD.person_id AND a.expected AND e.status = 'held' AND e.learning
            AND e.org_path = k.org_path AND substr(e.held_on, 1, 4) = substr(k.held_on, 1, 4)
        GROUP BY a.person_id;
    DELETE FROM learning_reach WHERE NOT (OLD.event_id = NEW.event_id AND OLD.person_id = NEW.person_id) AND person_id = NEW.person_id
        AND (year, org_path) = (SELECT CAST(substr(held_on, 1, 4) AS INTEGER), org_path FROM events WHERE id = NEW.event_id);
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT CAST(substr(k.held_on, 1, 4) AS INTEGER), k.org_path, a.person_id, MIN(e.held_on), MAX(e.held_on),
            MIN(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END), MAX(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END)
        FROM events k, event_attendance a JOIN events e ON e.id = a.event_id
        WHERE NOT (OLD.event_id = NEW.event_id AND OLD.person_id = NEW.person_id)
            AND k.id = NEW.event_id AND a.person_id = NEW.person_id AND a.expected AND e.status = 'held' AND e.learning
            AND e.org_path = k.org_path AND substr(e.held_on, 1, 4) = substr(k.held_on, 1, 4)
        GROUP BY a.person_id;
END;
-- +goose StatementEnd
-- An event held, cancelled, moved to another day or organisation, or
-- counting as learning or no longer: its people anew, under the old key
-- and the new.
-- +goose StatementBegin
CREATE TRIGGER learning_reach_event AFTER UPDATE OF status, learning, held_on, org_path ON events
WHEN ((OLD.status = 'held' AND OLD.learning) OR (NEW.status = 'held' AND NEW.learning))
    AND (OLD.status IS NOT NEW.status OR OLD.learning IS NOT NEW.learning OR OLD.held_on IS NOT NEW.held_on OR OLD.org_path IS NOT NEW.org_path)
BEGIN
    DELETE FROM learning_reach WHERE person_id IN (SELECT person_id FROM event_attendance WHERE event_id = NEW.id AND expected)
        AND ((year = CAST(substr(OLD.held_on, 1, 4) AS INTEGER) AND org_path = OLD.org_path) OR (year = CAST(substr(NEW.held_on, 1, 4) AS INTEGER) AND org_path = NEW.org_path));
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT CAST(substr(e.held_on, 1, 4) AS INTEGER), e.org_path, a.person_id, MIN(e.held_on), MAX(e.held_on),
            MIN(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END), MAX(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN e.held_on END)
        FROM event_attendance a JOIN events e ON e.id = a.event_id
        WHERE a.person_id IN (SELECT person_id FROM event_attendance WHERE event_id = NEW.id AND expected) AND a.expected AND e.status = 'held' AND e.learning
            AND ((substr(e.held_on, 1, 4) = substr(OLD.held_on, 1, 4) AND e.org_path = OLD.org_path) OR (substr(e.held_on, 1, 4) = substr(NEW.held_on, 1, 4) AND e.org_path = NEW.org_path))
        GROUP BY CAST(substr(e.held_on, 1, 4) AS INTEGER), e.org_path, a.person_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER learning_reach_event;
DROP TRIGGER learning_reach_update;
DROP TRIGGER learning_reach_delete;
DROP TRIGGER learning_reach_insert;
DROP TRIGGER event_tally_decision_update;
DROP TRIGGER event_tally_decision_delete;
DROP TRIGGER event_tally_decision_insert;
DROP TRIGGER event_tally_speaker_update;
DROP TRIGGER event_tally_speaker_delete;
DROP TRIGGER event_tally_speaker_insert;
DROP TRIGGER event_tally_update;
DROP TRIGGER event_tally_delete;
DROP TRIGGER event_tally_insert;
DROP TABLE learning_reach;
DROP TABLE event_tally_deltas;
DROP INDEX events_held;
CREATE INDEX events_path_held ON events(org_path, held_on) WHERE status = 'held';
ALTER TABLE events DROP COLUMN tally_decisions;
ALTER TABLE events DROP COLUMN tally_speakers;
ALTER TABLE events DROP COLUMN tally_made_up;
ALTER TABLE events DROP COLUMN tally_present_expected;
ALTER TABLE events DROP COLUMN tally_present;
ALTER TABLE events DROP COLUMN tally_expected;
