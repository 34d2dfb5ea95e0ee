-- +goose Up
-- Each person's 学时 per month: what a member earned at held learning
-- events, the days present or made up and the credit of those days. A span
-- of whole months (上半年, 全年, a quarter) adds these rows up instead of
-- every mark and its event; triggers keep them in the same transaction as
-- the marks and events they come from. Every change adds its difference,
-- so a row never needs counting again.
CREATE TABLE learning_credit (
    person_id     INTEGER NOT NULL,
    month         TEXT NOT NULL, -- its first day, 2026-03-01
    credit_tenths INTEGER NOT NULL,
    days          INTEGER NOT NULL,
    PRIMARY KEY (person_id, month)
) WITHOUT ROWID;
INSERT INTO learning_credit (person_id, month, credit_tenths, days)
    SELECT a.person_id, substr(a.day, 1, 8) || '01', SUM(e.credit_tenths), COUNT(*)
    FROM event_attendance a JOIN events e ON e.id = a.event_id
    WHERE e.status = 'held' AND e.learning AND (a.mark = 'present' OR a.made_up_on IS NOT NULL)
    GROUP BY a.person_id, substr(a.day, 1, 8) || '01';

-- A mark present or made up at a held learning event adds its day; gone,
-- it takes it away; changed, both.
-- +goose StatementBegin
CREATE TRIGGER learning_credit_insert AFTER INSERT ON event_attendance
WHEN NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL
BEGIN
    INSERT INTO learning_credit (person_id, month, credit_tenths, days)
        SELECT NEW.person_id, substr(NEW.day, 1, 8) || '01', credit_tenths, 1 FROM events WHERE id = NEW.event_id AND status = 'held' AND learning
        ON CONFLICT (person_id, month) DO UPDATE SET credit_tenths = credit_tenths + excluded.credit_tenths, days = days + excluded.days;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER learning_credit_delete AFTER DELETE ON event_attendance
WHEN OLD.mark = 'present' OR OLD.made_up_on IS NOT NULL
BEGIN
    INSERT INTO learning_credit (person_id, month, credit_tenths, days)
        SELECT OLD.person_id, substr(OLD.day, 1, 8) || '01', -credit_tenths, -1 FROM events WHERE id = OLD.event_id AND status = 'held' AND learning
        ON CONFLICT (person_id, month) DO UPDATE SET credit_tenths = credit_tenths + excluded.credit_tenths, days = days + excluded.days;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER learning_credit_update AFTER UPDATE OF event_id, person_id, day, mark, made_up_on ON event_attendance
WHEN OLD.mark = 'present' OR OLD.made_up_on IS NOT NULL OR NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL
BEGIN
    INSERT INTO learning_credit (person_id, month, credit_tenths, days)
        SELECT OLD.person_id, substr(OLD.day, 1, 8) || '01', -credit_tenths, -1 FROM events
        WHERE id = OLD.event_id AND status = 'held' AND learning AND (OLD.mark = 'present' OR OLD.made_up_on IS NOT NULL)
        ON CONFLICT (person_id, month) DO UPDATE SET credit_tenths = credit_tenths + excluded.credit_tenths, days = days + excluded.days;
    INSERT INTO learning_credit (person_id, month, credit_tenths, days)
        SELECT NEW.person_id, substr(NEW.day, 1, 8) || '01', credit_tenths, 1 FROM events
        WHERE id = NEW.event_id AND status = 'held' AND learning AND (NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL)
        ON CONFLICT (person_id, month) DO UPDATE SET credit_tenths = credit_tenths + excluded.credit_tenths, days = days + excluded.days;
END;
-- +goose StatementEnd
-- An event held or cancelled, counting as learning or no longer, or its
-- credit changed: its marks' days and credit taken away as they counted
-- and added as they count now, in one difference per person and month.
-- +goose StatementBegin
CREATE TRIGGER learning_credit_event AFTER UPDATE OF status, learning, credit_tenths ON events
WHEN ((OLD.status = 'held' AND OLD.learning) OR (NEW.status = 'held' AND NEW.learning))
    AND (OLD.status IS NOT NEW.status OR OLD.learning IS NOT NEW.learning OR OLD.credit_tenths IS NOT NEW.credit_tenths)
BEGIN
    INSERT INTO learning_credit (person_id, month, credit_tenths, days)
        SELECT person_id, substr(day, 1, 8) || '01',
            COUNT(*) * ((CASE WHEN NEW.status = 'held' AND NEW.learning THEN NEW.credit_tenths ELSE 0 END)
                - (CASE WHEN OLD.status = 'held' AND OLD.learning THEN OLD.credit_tenths ELSE 0 END)),
            COUNT(*) * ((CASE WHEN NEW.status = 'held' AND NEW.learning THEN 1 ELSE 0 END) - (CASE WHEN OLD.status = 'held' AND OLD.learning THEN 1 ELSE 0 END))
        FROM event_attendance WHERE event_id = NEW.id AND (mark = 'present' OR made_up_on IS NOT NULL)
        GROUP BY person_id, substr(day, 1, 8) || '01'
        ON CONFLICT (person_id, month) DO UPDATE SET credit_tenths = credit_tenths + excluded.credit_tenths, days = days + excluded.days;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER learning_credit_event;
DROP TRIGGER learning_credit_update;
DROP TRIGGER learning_credit_delete;
DROP TRIGGER learning_credit_insert;
DROP TABLE learning_credit;
