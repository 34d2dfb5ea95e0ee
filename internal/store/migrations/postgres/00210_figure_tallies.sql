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

-- Differences to the tallies of events not yet folded into them (the
-- trigger on marks below says why); a figure adds them, a job folds them.
CREATE TABLE event_tally_deltas (
    id               BIGSERIAL PRIMARY KEY,
    event_id         BIGINT NOT NULL,
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

-- The rows of people for organisations and years (the keys, as three
-- arrays of the same length), added up anew from their marks: when a mark
-- went that may have been a first or last day, only the marks can say
-- which day is first or last now. One person's recounts take
-- turns, each statement reading what the one before committed, so two
-- sign-ins at once cannot leave the older count.
-- +goose StatementBegin
CREATE FUNCTION learning_reach_count(years INTEGER[], paths TEXT[], people BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p BIGINT;
BEGIN
    FOR p IN SELECT DISTINCT x FROM unnest(people) AS x ORDER BY x LOOP
        PERFORM pg_advisory_xact_lock(1952, (p % 2147483647)::int);
    END LOOP;
    -- Key by key through the indexes (the planner cannot know how few keys
    -- a statement brings, and would rather scan every mark).
    DELETE FROM learning_reach r
        WHERE r.year = ANY (years) AND r.org_path = ANY (paths) AND r.person_id = ANY (people)
            AND (r.year, r.org_path, r.person_id) IN (SELECT * FROM unnest(years, paths, people));
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT k.year, k.path, k.person, c.first_expected, c.last_expected, c.first_covered, c.last_covered
        FROM (SELECT DISTINCT year, path, person FROM unnest(years, paths, people) AS u(year, path, person)) k
        CROSS JOIN LATERAL (SELECT MIN(e.held_on) AS first_expected, MAX(e.held_on) AS last_expected,
                MIN(e.held_on) FILTER (WHERE a.mark = 'present' OR a.made_up_on IS NOT NULL) AS first_covered,
                MAX(e.held_on) FILTER (WHERE a.mark = 'present' OR a.made_up_on IS NOT NULL) AS last_covered
            FROM event_attendance a JOIN events e ON e.id = a.event_id
            WHERE a.person_id = k.person AND a.expected AND e.status = 'held' AND e.learning AND e.org_path = k.path
                AND e.held_on >= make_date(k.year, 1, 1) AND e.held_on < make_date(k.year + 1, 1, 1)) c
        WHERE c.first_expected IS NOT NULL;
END;
$$;
-- +goose StatementEnd

-- Marks count in their events' tallies, and at held learning events count
-- their people again for the event's organisation and year: once per
-- statement, over the rows it changed (an import or a whole list marked at
-- once is one recount, not one per mark). Hundreds of people signing in to
-- one event at once would queue on the event's row, each waiting for the
-- one before to commit: marks add rows of differences instead
-- (event_tally_deltas), which the figures add to the event's tally and a
-- job folds into it.
-- +goose StatementBegin
CREATE FUNCTION event_marks_changed(ev BIGINT[], person BIGINT[], sign INTEGER[], expected BOOLEAN[], present BOOLEAN[], made_up BOOLEAN[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    years INTEGER[];
    paths TEXT[];
    people BIGINT[];
    p BIGINT;
BEGIN
    -- The marks a statement changed, each once as it was (sign -1) and
    -- once as it is (+1).
    INSERT INTO event_tally_deltas (event_id, expected, present, present_expected, made_up)
        SELECT m.ev, SUM(m.sign * m.expected::int), SUM(m.sign * m.present::int), SUM(m.sign * (m.present AND m.expected)::int), SUM(m.sign * m.made_up::int)
        FROM unnest(ev, person, sign, expected, present, made_up) AS m(ev, person, sign, expected, present, made_up)
        GROUP BY m.ev
        HAVING SUM(m.sign * m.expected::int) <> 0 OR SUM(m.sign * m.present::int) <> 0 OR SUM(m.sign * m.made_up::int) <> 0
            OR SUM(m.sign * (m.present AND m.expected)::int) <> 0;
    -- Events are looked up one by one by their key (LATERAL … OFFSET 0 keeps
    -- the planner from folding the look-up into a scan of every held
    -- event, which it prefers while a growing table's statistics are old).
    -- A mark added can only move a person's first and last days outward:
    -- the rows are widened in place. A mark gone (or no longer expected, no
    -- longer present) may have been a first or last day: those keys are
    -- added up anew, after the widening.
    FOR p IN SELECT DISTINCT m.person FROM unnest(person, expected) AS m(person, expected) WHERE m.expected ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(1952, (p % 2147483647)::int);
    END LOOP;
    INSERT INTO learning_reach AS r (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT EXTRACT(YEAR FROM e.held_on)::int, e.org_path, k.person, e.held_on, e.held_on,
            CASE WHEN k.covered THEN e.held_on END, CASE WHEN k.covered THEN e.held_on END
        FROM (SELECT m.ev, m.person, bool_or(m.present OR m.made_up) AS covered
              FROM unnest(ev, person, sign, expected, present, made_up) AS m(ev, person, sign, expected, present, made_up)
              WHERE m.sign = 1 AND m.expected GROUP BY m.ev, m.person) k
        CROSS JOIN LATERAL (SELECT held_on, org_path, status, learning FROM events WHERE id = k.ev OFFSET 0) e
        WHERE e.status = 'held' AND e.learning
        ON CONFLICT (year, org_path, person_id) DO UPDATE SET first_expected = LEAST(r.first_expected, EXCLUDED.first_expected),
            last_expected = GREATEST(r.last_expected, EXCLUDED.last_expected), first_covered = LEAST(r.first_covered, EXCLUDED.first_covered),
            last_covered = GREATEST(r.last_covered, EXCLUDED.last_covered);
    WITH m AS (SELECT * FROM unnest(ev, person, sign, expected, present, made_up) AS m(ev, person, sign, expected, present, made_up))
    SELECT array_agg(EXTRACT(YEAR FROM e.held_on)::int), array_agg(e.org_path), array_agg(k.person) INTO years, paths, people
        FROM (SELECT DISTINCT o.ev, o.person FROM m o WHERE o.sign = -1 AND o.expected
                AND NOT EXISTS (SELECT 1 FROM m n WHERE n.sign = 1 AND n.ev = o.ev AND n.person = o.person AND n.expected
                    AND (n.present OR n.made_up OR NOT (o.present OR o.made_up)))) k
        CROSS JOIN LATERAL (SELECT held_on, org_path, status, learning FROM events WHERE id = k.ev OFFSET 0) e
        WHERE e.status = 'held' AND e.learning;
    IF people IS NOT NULL THEN
        PERFORM learning_reach_count(years, paths, people);
    END IF;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION event_marks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM event_marks_changed(array_agg(event_id), array_agg(person_id), array_agg(1), array_agg(expected), array_agg(mark = 'present'),
        array_agg(made_up_on IS NOT NULL)) FROM changed_new;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION event_marks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM event_marks_changed(array_agg(event_id), array_agg(person_id), array_agg(-1), array_agg(expected), array_agg(mark = 'present'),
        array_agg(made_up_on IS NOT NULL)) FROM changed_old;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION event_marks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM event_marks_changed(array_agg(event_id), array_agg(person_id), array_agg(sign), array_agg(expected), array_agg(mark = 'present'),
        array_agg(made_up_on IS NOT NULL))
    FROM (SELECT event_id, person_id, 1 AS sign, expected, mark, made_up_on FROM changed_new
          UNION ALL SELECT event_id, person_id, -1, expected, mark, made_up_on FROM changed_old) c;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER event_tally_insert AFTER INSERT ON event_attendance
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION event_marks_inserted();
CREATE TRIGGER event_tally_delete AFTER DELETE ON event_attendance
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION event_marks_deleted();
CREATE TRIGGER event_tally_update AFTER UPDATE ON event_attendance
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION event_marks_updated();

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
        PERFORM learning_reach_count(array_fill(EXTRACT(YEAR FROM OLD.held_on)::int, ARRAY[cardinality(people)]), array_fill(OLD.org_path, ARRAY[cardinality(people)]), people);
    END IF;
    IF NEW.status = 'held' AND NEW.learning THEN
        PERFORM learning_reach_count(array_fill(EXTRACT(YEAR FROM NEW.held_on)::int, ARRAY[cardinality(people)]), array_fill(NEW.org_path, ARRAY[cardinality(people)]), people);
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
DROP TRIGGER event_tally_delete ON event_attendance;
DROP TRIGGER event_tally_insert ON event_attendance;
DROP FUNCTION event_marks_updated;
DROP FUNCTION event_marks_deleted;
DROP FUNCTION event_marks_inserted;
DROP FUNCTION event_marks_changed;
DROP FUNCTION learning_reach_count;
DROP TABLE learning_reach;
DROP TABLE event_tally_deltas;
DROP INDEX events_held;
CREATE INDEX events_path_held ON events(org_path, held_on) WHERE status = 'held';
ALTER TABLE events DROP COLUMN tally_decisions, DROP COLUMN tally_speakers, DROP COLUMN tally_made_up, DROP COLUMN tally_present_expected, DROP COLUMN tally_present, DROP COLUMN tally_expected;
