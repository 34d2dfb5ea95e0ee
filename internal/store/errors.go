package store

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"dangjian/internal/errs"
)

// errStale is an edit based on a copy someone else has changed since.
var errStale = errs.NewConflict("version", "conflict.stale")

// mapErr turns driver errors into domain errors by their codes, never by
// their message text.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.ErrNotFound
	}
	var le *sqlite.Error
	if errors.As(err, &le) {
		switch le.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errs.NewConflict("", "conflict.duplicate")
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errs.NewConflict("", "conflict.reference")
		}
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			if c, ok := uniqueIndexes[pe.ConstraintName]; ok {
				return c
			}
			return errs.NewConflict("", "conflict.duplicate")
		case "23503":
			return errs.NewConflict("", "conflict.reference")
		}
	}
	return err
}

// uniqueIndexes names the rule each unique index holds, so a write that lost
// a race on PostgreSQL is refused with the same message as one the store's
// own check caught first. (SQLite runs one write transaction at a time, so
// there the check inside the transaction is exact.)
var uniqueIndexes = map[string]error{
	"users_username_key":   errUsernameTaken,
	"users_username_lower": errUsernameTaken,
	"users_person":         errPersonHasAccount,
}

// duplicateAs names the rule a unique index enforces: its violation, which
// mapErr reports as a bare duplicate, becomes the rule's own message, the
// same one a check before the write would give. Only call it where the
// statement can break that one index.
func duplicateAs(err error, field, key string) error {
	var c *errs.Conflict
	if errors.As(err, &c) && c.Key == "conflict.duplicate" {
		return errs.NewConflict(field, key)
	}
	return err
}

// isBusy reports a write that lost to another one and may simply be run
// again: a SQLite lock held by another process (another dangjian command on
// the same file), or a PostgreSQL deadlock or serialization failure (the
// database rolled the transaction back).
func isBusy(err error) bool {
	var le *sqlite.Error
	if errors.As(err, &le) {
		c := le.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40P01" || pe.Code == "40001"
	}
	return false
}

// seedOnce runs a start-up seeding (dictionaries, event kinds) that checks
// what exists and adds what is missing. Instances starting together on one
// PostgreSQL race to add the same rows: the loser's transaction breaks a
// unique index, and running it again finds the winner's rows.
func seedOnce(seed func() error) error {
	err := seed()
	var c *errs.Conflict
	if errors.As(err, &c) && c.Key == "conflict.duplicate" {
		err = seed()
	}
	return err
}
