-- +goose Up
-- A mark added to a held learning event, or changed so that it only adds
-- (now expected, now present or made up), can only move its person's first
-- and last days outward: the row is widened in place instead of added up
-- anew from every mark of the person, as PostgreSQL's triggers already do.
-- Recounting per mark doubled what the generator and the demo's marks cost.
-- SQLite's min() and max() of a NULL are NULL, hence the coalesce.
DROP TRIGGER learning_reach_insert;
DROP TRIGGER learning_reach_update;
-- +goose StatementBegin
CREATE TRIGGER learning_reach_insert AFTER INSERT ON event_attendance
WHEN NEW.expected AND EXISTS (SELECT 1 FROM events WHERE id = NEW.event_id AND status = 'held' AND learning)
BEGIN
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT CAST(substr(held_on, 1, 4) AS INTEGER), org_path, NEW.person_id, held_on, held_on,
            CASE WHEN NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL THEN held_on END,
            CASE WHEN NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL THEN held_on END
        FROM events WHERE id = NEW.event_id
        ON CONFLICT (year, org_path, person_id) DO UPDATE SET first_expected = min(first_expected, excluded.first_expected),
            last_expected = max(last_expected, excluded.last_expected),
            first_covered = coalesce(min(first_covered, excluded.first_covered), first_covered, excluded.first_covered),
            last_covered = coalesce(max(last_covered, excluded.last_covered), last_covered, excluded.last_covered);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER learning_reach_widen AFTER UPDATE OF event_id, person_id, expected, mark, made_up_on ON event_attendance
WHEN OLD.event_id = NEW.event_id AND OLD.person_id = NEW.person_id AND NEW.expected
    AND NOT ((OLD.mark = 'present' OR OLD.made_up_on IS NOT NULL) AND NOT (NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL))
    AND EXISTS (SELECT 1 FROM events WHERE id = NEW.event_id AND status = 'held' AND learning)
BEGIN
    INSERT INTO learning_reach (year, org_path, person_id, first_expected, last_expected, first_covered, last_covered)
        SELECT CAST(substr(held_on, 1, 4) AS INTEGER), org_path, NEW.person_id, held_on, held_on,
            CASE WHEN NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL THEN held_on END,
            CASE WHEN NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL THEN held_on END
        FROM events WHERE id = NEW.event_id
        ON CONFLICT (year, org_path, person_id) DO UPDATE SET first_expected = min(first_expected, excluded.first_expected),
            last_expected = max(last_expected, excluded.last_expected),
            first_covered = coalesce(min(first_covered, excluded.first_covered), first_covered, excluded.first_covered),
            last_covered = coalesce(max(last_covered, excluded.last_covered), last_covered, excluded.last_covered);
END;
-- +goose StatementEnd
-- Anything else (a mark no longer expected, no longer present) may take
-- away a first or last day: the key is added up anew, as before.
-- +goose StatementBegin
CREATE TRIGGER learning_reach_update AFTER UPDATE OF event_id, person_id, expected, mark, made_up_on ON event_attendance
WHEN (OLD.expected OR NEW.expected) AND NOT (OLD.event_id = NEW.event_id AND OLD.person_id = NEW.person_id AND NEW.expected
    AND NOT ((OLD.mark = 'present' OR OLD.made_up_on IS NOT NULL) AND NOT (NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL)))
    AND EXISTS (SELECT 1 FROM events WHERE id IN (OLD.event_id, NEW.event_id) AND status = 'held' AND learning)
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

-- +goose Down
DROP TRIGGER learning_reach_update;
DROP TRIGGER learning_reach_widen;
DROP TRIGGER learning_reach_insert;
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
