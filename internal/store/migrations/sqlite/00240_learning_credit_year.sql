-- +goose Up
-- Each person's 学时 per year, added up from the months of learning_credit
-- by triggers on them: a year's 学时达标率 reads one row per member instead
-- of twelve. Keyed by year first, so a province's year is one range of the
-- key and a branch's members are found in it one by one.
CREATE TABLE learning_credit_year (
    year          INTEGER NOT NULL,
    person_id     INTEGER NOT NULL,
    credit_tenths INTEGER NOT NULL,
    days          INTEGER NOT NULL,
    PRIMARY KEY (year, person_id)
) WITHOUT ROWID;
INSERT INTO learning_credit_year (year, person_id, credit_tenths, days)
    SELECT CAST(substr(month, 1, 4) AS INTEGER), person_id, SUM(credit_tenths), SUM(days) FROM learning_credit GROUP BY 1, 2;

-- A month's row added, changed or gone adds its difference to its year.
-- +goose StatementBegin
CREATE TRIGGER learning_credit_year_insert AFTER INSERT ON learning_credit
BEGIN
    INSERT INTO learning_credit_year (year, person_id, credit_tenths, days)
        VALUES (CAST(substr(NEW.month, 1, 4) AS INTEGER), NEW.person_id, NEW.credit_tenths, NEW.days)
        ON CONFLICT (year, person_id) DO UPDATE SET credit_tenths = credit_tenths + excluded.credit_tenths, days = days + excluded.days;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER learning_credit_year_update AFTER UPDATE ON learning_credit
BEGIN
    -- A month's row changes by its sums only (its key never changes).
    INSERT INTO learning_credit_year (year, person_id, credit_tenths, days)
        VALUES (CAST(substr(NEW.month, 1, 4) AS INTEGER), NEW.person_id, NEW.credit_tenths - OLD.credit_tenths, NEW.days - OLD.days)
        ON CONFLICT (year, person_id) DO UPDATE SET credit_tenths = credit_tenths + excluded.credit_tenths, days = days + excluded.days;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER learning_credit_year_delete AFTER DELETE ON learning_credit
BEGIN
    INSERT INTO learning_credit_year (year, person_id, credit_tenths, days)
        VALUES (CAST(substr(OLD.month, 1, 4) AS INTEGER), OLD.person_id, -OLD.credit_tenths, -OLD.days)
        ON CONFLICT (year, person_id) DO UPDATE SET credit_tenths = credit_tenths + excluded.credit_tenths, days = days + excluded.days;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER learning_credit_year_delete;
DROP TRIGGER learning_credit_year_update;
DROP TRIGGER learning_credit_year_insert;
DROP TABLE learning_credit_year;
