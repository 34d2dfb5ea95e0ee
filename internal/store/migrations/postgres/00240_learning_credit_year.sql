-- +goose Up
-- Each person's 学时 per year, added up from the months of learning_credit
-- by triggers on them: a year's 学时达标率 reads one row per member instead
-- of twelve. Keyed by year first, so a province's year is one range of the
-- key and a branch's members are found in it one by one.
CREATE TABLE learning_credit_year (
    year          INTEGER NOT NULL,
    person_id     BIGINT NOT NULL,
    credit_tenths INTEGER NOT NULL,
    days          INTEGER NOT NULL,
    PRIMARY KEY (year, person_id)
);
INSERT INTO learning_credit_year (year, person_id, credit_tenths, days)
    SELECT EXTRACT(YEAR FROM month)::integer, person_id, SUM(credit_tenths), SUM(days) FROM learning_credit GROUP BY 1, 2;

-- A month's row added, changed or gone adds its difference to its year
-- (the month's row is one person's, so is the year's: the writer that
-- holds one holds the other).
-- +goose StatementBegin
CREATE FUNCTION learning_credit_year_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO learning_credit_year AS y (year, person_id, credit_tenths, days)
            VALUES (EXTRACT(YEAR FROM OLD.month)::integer, OLD.person_id, -OLD.credit_tenths, -OLD.days)
            ON CONFLICT (year, person_id) DO UPDATE SET credit_tenths = y.credit_tenths + EXCLUDED.credit_tenths, days = y.days + EXCLUDED.days;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO learning_credit_year AS y (year, person_id, credit_tenths, days)
            VALUES (EXTRACT(YEAR FROM NEW.month)::integer, NEW.person_id, NEW.credit_tenths, NEW.days)
            ON CONFLICT (year, person_id) DO UPDATE SET credit_tenths = y.credit_tenths + EXCLUDED.credit_tenths, days = y.days + EXCLUDED.days;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER learning_credit_year AFTER INSERT OR UPDATE OR DELETE ON learning_credit
    FOR EACH ROW EXECUTE FUNCTION learning_credit_year_add();

-- +goose Down
DROP TRIGGER learning_credit_year ON learning_credit;
DROP FUNCTION learning_credit_year_add;
DROP TABLE learning_credit_year;
