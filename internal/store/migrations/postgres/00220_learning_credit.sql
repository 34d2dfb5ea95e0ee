-- +goose Up
-- Each person's 学时 per month: what a member earned at held learning
-- events, the days present or made up and the credit of those days. A span
-- of whole months (上半年, 全年, a quarter) adds these rows up instead of
-- every mark and its event; triggers keep them in the same transaction as
-- the marks and events they come from. Every change adds its difference,
-- so a row never needs counting again, and two people signing in at once
-- touch two rows.
CREATE TABLE learning_credit (
    person_id     BIGINT NOT NULL,
    month         DATE NOT NULL, -- its first day
    credit_tenths INTEGER NOT NULL,
    days          INTEGER NOT NULL,
    PRIMARY KEY (person_id, month)
);
INSERT INTO learning_credit (person_id, month, credit_tenths, days)
    SELECT a.person_id, date_trunc('month', a.day)::date, SUM(e.credit_tenths), COUNT(*)
    FROM event_attendance a JOIN events e ON e.id = a.event_id
    WHERE e.status = 'held' AND e.learning AND (a.mark = 'present' OR a.made_up_on IS NOT NULL)
    GROUP BY 1, 2;

-- A mark present or made up at a held learning event adds its day; gone,
-- it takes it away; changed, both. Row by row: a mark is one person's,
-- and a row trigger that does not fire for marks earning nothing costs a
-- list marked at once less than one per statement that gathers the rows.
-- Two writers adding to one month wait on its row; crosswise, PostgreSQL
-- breaks the deadlock and the store runs the loser's transaction again.
-- +goose StatementBegin
CREATE FUNCTION learning_credit_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND (OLD.mark = 'present' OR OLD.made_up_on IS NOT NULL) THEN
        INSERT INTO learning_credit AS c (person_id, month, credit_tenths, days)
            SELECT OLD.person_id, date_trunc('month', OLD.day)::date, -credit_tenths, -1 FROM events WHERE id = OLD.event_id AND status = 'held' AND learning
            ON CONFLICT (person_id, month) DO UPDATE SET credit_tenths = c.credit_tenths + EXCLUDED.credit_tenths, days = c.days + EXCLUDED.days;
    END IF;
    IF TG_OP <> 'DELETE' AND (NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL) THEN
        INSERT INTO learning_credit AS c (person_id, month, credit_tenths, days)
            SELECT NEW.person_id, date_trunc('month', NEW.day)::date, credit_tenths, 1 FROM events WHERE id = NEW.event_id AND status = 'held' AND learning
            ON CONFLICT (person_id, month) DO UPDATE SET credit_tenths = c.credit_tenths + EXCLUDED.credit_tenths, days = c.days + EXCLUDED.days;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER learning_credit_insert AFTER INSERT ON event_attendance
    FOR EACH ROW WHEN (NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL) EXECUTE FUNCTION learning_credit_mark();
CREATE TRIGGER learning_credit_delete AFTER DELETE ON event_attendance
    FOR EACH ROW WHEN (OLD.mark = 'present' OR OLD.made_up_on IS NOT NULL) EXECUTE FUNCTION learning_credit_mark();
CREATE TRIGGER learning_credit_update AFTER UPDATE OF event_id, person_id, day, mark, made_up_on ON event_attendance
    FOR EACH ROW WHEN (OLD.mark = 'present' OR OLD.made_up_on IS NOT NULL OR NEW.mark = 'present' OR NEW.made_up_on IS NOT NULL)
    EXECUTE FUNCTION learning_credit_mark();

-- An event held or cancelled, counting as learning or no longer, or its
-- credit changed: its marks' days and credit taken away as they counted
-- and added as they count now, in one difference per person and month.
-- +goose StatementBegin
CREATE FUNCTION events_learning_credit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counted INTEGER := CASE WHEN OLD.status = 'held' AND OLD.learning THEN 1 ELSE 0 END;
    counts INTEGER := CASE WHEN NEW.status = 'held' AND NEW.learning THEN 1 ELSE 0 END;
BEGIN
    INSERT INTO learning_credit AS c (person_id, month, credit_tenths, days)
        SELECT person_id, date_trunc('month', day)::date, COUNT(*) * (counts * NEW.credit_tenths - counted * OLD.credit_tenths), COUNT(*) * (counts - counted)
        FROM event_attendance WHERE event_id = NEW.id AND (mark = 'present' OR made_up_on IS NOT NULL)
        GROUP BY 1, 2
        ORDER BY 1, 2
        ON CONFLICT (person_id, month) DO UPDATE SET credit_tenths = c.credit_tenths + EXCLUDED.credit_tenths, days = c.days + EXCLUDED.days;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER learning_credit_event AFTER UPDATE OF status, learning, credit_tenths ON events
    FOR EACH ROW WHEN (((OLD.status = 'held' AND OLD.learning) OR (NEW.status = 'held' AND NEW.learning))
        AND (OLD.status, OLD.learning, OLD.credit_tenths) IS DISTINCT FROM (NEW.status, NEW.learning, NEW.credit_tenths))
    EXECUTE FUNCTION events_learning_credit();

-- +goose Down
DROP TRIGGER learning_credit_event ON events;
DROP FUNCTION events_learning_credit;
DROP TRIGGER learning_credit_update ON event_attendance;
DROP TRIGGER learning_credit_delete ON event_attendance;
DROP TRIGGER learning_credit_insert ON event_attendance;
DROP FUNCTION learning_credit_mark;
DROP TABLE learning_credit;
