-- +goose Up
-- What a province's figures would otherwise add up from hundreds of
-- thousands of marks each time, kept by triggers in the same transaction
-- as every mark and every event they come from: no code path has to
-- remember them, and store tests prove they always equal a count from
-- scratch.

-- Each event's marks added up: the tallies of event.Compute.
ALTER TABLE events ADD COLUMN tally_expected INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN tally_present INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN tally_present_expected INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN tally_made_up INTEGER NOT NULL DEFAULT 0;
UPDATE events e SET tally_expected = t.expected, tally_present = t.present, tally_present_expected = t.present_expected, tally_made_up = t.made_up
    FROM (SELECT event_id, COUNT(*) FILTER (WHERE expected) AS expected, COUNT(*) FILTER (WHERE mark = 'present') AS present,
            COUNT(*) FILTER (WHERE mark = 'present' AND expected) AS present_expected, COUNT(*) FILTER (WHERE made_up_on IS NOT NULL) AS made_up
          FROM event_attendance GROUP BY event_id) t
    WHERE t.event_id = e.id;
-- And its speakers and decisions.
ALTER TABLE events ADD COLUMN tally_speakers INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN tally_decisions INTEGER NOT NULL DEFAULT 0;
UPDATE events e SET tally_speakers = (SELECT COUNT(*) FROM event_speakers x WHERE x.event_id = e.id),
    tally_decisions = (SELECT COUNT(*) FROM event_decisions x WHERE x.event_id = e.id);
-- The held events of a subtree with their tallies, read from the index
-- alone; it serves whatever the index of held events by path served.
DROP INDEX events_path_held;
CREATE INDEX events_held ON events(org_path, held_on, learning, credit_tenths, tally_expected, tally_present, tally_present_expected, tally_made_up,
    tally_speakers, tally_decisions) WHERE status = 'held';

-- Who was expected at learning events (held, counting as learning) of an
-- organisation in a year, and when first and last; when first and last
-- present or made up. A span that is whole years, or begins or ends a
-- year, counts its distinct people from these rows instead of the marks.
CREATE TABLE learning_reach (
    year           INTEGER NOT NULL,
    org_path       TEXT NOT NULL,
    person_id      BIGINT NOT NULL,
    first_expected DATE NOT NULL,
    last_expected  DATE NOT NULL,
    first_covered  DATE,
    last_covered   DATE,
    PRIMARY KEY (year, org_path, person_id)
);
INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
    SELECT EXTRACT(YEAR FROM e.held_on)::int, e.org_path, a.person_id, MIN(e.held_on), MAX(e.held_on),
        MIN(e.held_on) FILTER (WHERE a.mark = 'present' OR a.made_up_on IS NOT NULL), MAX(e.held_on) FILTER (WHERE a.mark = 'present' OR a.made_up_on IS NOT NULL)
    FROM event_attendance a JOIN events e ON e.id = a.event_id
    WHERE a.expected AND e.status = 'held' AND e.learning
    GROUP BY 1, 2, 3;

-- The rows of people for an organisation and year, added up anew from
-- their marks (a first or last day cannot be adjusted by one mark). One
-- person's recounts take turns, each statement reading what the one before
-- committed, so two sign-ins at once cannot leave the older count.
-- +goose StatementBegin
CREATE FUNCTION learning_reach_count(people BIGINT[], path TEXT, held DATE) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p BIGINT;
    yr INTEGER := EXTRACT(YEAR FROM held)::int;
BEGIN
    IF path IS NULL OR held IS NULL THEN
        RETURN;
    END IF;
    FOR p IN SELECT DISTINCT x FROM unnest(people) AS x ORDER BY x LOOP
        PERFORM pg_advisory_xact_lock(1952, (p % 2147483647)::int);
    END LOOP;
    DELETE FROM learning_reach WHERE year = yr AND org_path = path AND person_id = ANY (people);
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT yr, path, a.person_id, MIN(e.held_on), MAX(e.held_on),
            MIN(e.held_on) FILTER (WHERE a.mark = 'present' OR a.made_up_on IS NOT NULL), MAX(e.held_on) FILTER (WHERE a.mark = 'present' OR a.made_up_on IS NOT NULL)
        FROM event_attendance a JOIN events e ON e.id = a.event_id
        WHERE a.person_id = ANY (people) AND a.expected AND e.status = 'held' AND e.learning AND e.org_path = path
            AND e.held_on >= make_date(yr, 1, 1) AND e.held_on < make_date(yr + 1, 1, 1)
        GROUP BY a.person_id;
END;
$$;
-- +goose StatementEnd

-- A mark counts in its event's tally, and at a held learning event counts
-- its person again for the event's organisation and year. The event's row
-- is locked before the person, as an event's own change locks them.
-- +goose StatementBegin
CREATE FUNCTION event_attendance_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ev RECORD;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE events SET tally_expected = tally_expected - OLD.expected::int, tally_present = tally_present - (OLD.mark = 'present')::int,
            tally_present_expected = tally_present_expected - (OLD.mark = 'present' AND OLD.expected)::int,
            tally_made_up = tally_made_up - (OLD.made_up_on IS NOT NULL)::int
        WHERE id = OLD.event_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE events SET tally_expected = tally_expected + NEW.expected::int, tally_present = tally_present + (NEW.mark = 'present')::int,
            tally_present_expected = tally_present_expected + (NEW.mark = 'present' AND NEW.expected)::int,
            tally_made_up = tally_made_up + (NEW.made_up_on IS NOT NULL)::int
        WHERE id = NEW.event_id;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.expected OR NEW.expected)) THEN
        SELECT org_path, held_on, status = 'held' AND learning AS counts INTO ev FROM events WHERE id = OLD.event_id;
        IF ev.counts THEN
            PERFORM learning_reach_count(ARRAY[OLD.person_id], ev.org_path, ev.held_on);
        END IF;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.expected
        OR TG_OP = 'UPDATE' AND NEW.expected AND (OLD.event_id <> NEW.event_id OR OLD.person_id <> NEW.person_id) THEN
        SELECT org_path, held_on, status = 'held' AND learning AS counts INTO ev FROM events WHERE id = NEW.event_id;
        IF ev.counts THEN
            PERFORM learning_reach_count(ARRAY[NEW.person_id], ev.org_path, ev.held_on);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER event_tally_insert AFTER INSERT OR DELETE ON event_attendance
    FOR EACH ROW EXECUTE FUNCTION event_attendance_figures();
CREATE TRIGGER event_tally_update AFTER UPDATE OF event_id, person_id, expected, mark, made_up_on ON event_attendance
    FOR EACH ROW EXECUTE FUNCTION event_attendance_figures();

-- A speaker or a decision counts in its event's tally.
-- +goose StatementBegin
CREATE FUNCTION event_parts_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'event_speakers' THEN
        IF TG_OP <> 'INSERT' THEN
            UPDATE events SET tally_speakers = tally_speakers - 1 WHERE id = OLD.event_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            UPDATE events SET tally_speakers = tally_speakers + 1 WHERE id = NEW.event_id;
        END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN
            UPDATE events SET tally_decisions = tally_decisions - 1 WHERE id = OLD.event_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            UPDATE events SET tally_decisions = tally_decisions + 1 WHERE id = NEW.event_id;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER event_tally_speaker_insert AFTER INSERT OR DELETE ON event_speakers
    FOR EACH ROW EXECUTE FUNCTION event_parts_tally();
CREATE TRIGGER event_tally_speaker_update AFTER UPDATE OF event_id ON event_speakers
    FOR EACH ROW EXECUTE FUNCTION event_parts_tally();
CREATE TRIGGER event_tally_decision_insert AFTER INSERT OR DELETE ON event_decisions
    FOR EACH ROW EXECUTE FUNCTION event_parts_tally();
CREATE TRIGGER event_tally_decision_update AFTER UPDATE OF event_id ON event_decisions
    FOR EACH ROW EXECUTE FUNCTION event_parts_tally();

-- An event held, cancelled, moved to another day or organisation, or
-- counting as learning or no longer: its people anew, under the old key
-- and the new.
-- +goose StatementBegin
CREATE FUNCTION events_learning_reach() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    people BIGINT[];
BEGIN
    SELECT array_agg(person_id) INTO people FROM event_attendance WHERE event_id = NEW.id AND expected;
    IF people IS NULL THEN
        RETURN NULL;
    END IF;
    IF OLD.status = 'held' AND OLD.learning THEN
        PERFORM learning_reach_count(people, OLD.org_path, OLD.held_on);
    END IF;
    IF NEW.status = 'held' AND NEW.learning THEN
        PERFORM learning_reach_count(people, NEW.org_path, NEW.held_on);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER learning_reach_event AFTER UPDATE OF status, learning, held_on, org_path ON events
    FOR EACH ROW WHEN ((OLD.status, OLD.learning, OLD.held_on, OLD.org_path) IS DISTINCT FROM (NEW.status, NEW.learning, NEW.held_on, NEW.org_path))
    EXECUTE FUNCTION events_learning_reach();

-- +goose Down
DROP TRIGGER learning_reach_event ON events;
DROP FUNCTION events_learning_reach;
DROP TRIGGER event_tally_decision_update ON event_decisions;
DROP TRIGGER event_tally_decision_insert ON event_decisions;
DROP TRIGGER event_tally_speaker_update ON event_speakers;
DROP TRIGGER event_tally_speaker_insert ON event_speakers;
DROP FUNCTION event_parts_tally;
DROP TRIGGER event_tally_update ON event_attendance;
DROP TRIGGER event_tally_insert ON event_attendance;
DROP FUNCTION event_attendance_figures;
DROP FUNCTION learning_reach_count;
DROP TABLE learning_reach;
DROP INDEX events_held;
CREATE INDEX events_path_held ON events(org_path, held_on) WHERE status = 'held';
ALTER TABLE events DROP COLUMN tally_decisions, DROP COLUMN tally_speakers, DROP COLUMN tally_made_up, DROP COLUMN tally_present_expected, DROP COLUMN tally_present, DROP COLUMN tally_expected;
