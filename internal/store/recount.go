package store

import (
	"context"
	"hash/fnv"
)

// What the store keeps beside the records (held_months, roster_counts) is
// counted again, from the records, inside every transaction that changes
// them, and written afresh after every upgrade. On PostgreSQL, with several
// instances, two such transactions must not count past each other.

// takeTurns makes a second PostgreSQL transaction counting the same rows
// (class, key) wait until the first commits, so that it counts what both
// wrote and writes last. SQLite's one writer takes turns already.
func (t *tx) takeTurns(ctx context.Context, class int32, key string) error {
	if t.s.dialect != Postgres {
		return nil
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	_, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(?, ?)", class, int32(h.Sum32()))
	return err
}

// lockForRewrite keeps a table written afresh from PostgreSQL instances
// saving meanwhile: they write their counts after this commits, over the
// rows written here, rather than failing on them.
func (t *tx) lockForRewrite(ctx context.Context, table string) error {
	if t.s.dialect != Postgres {
		return nil
	}
	_, err := t.exec(ctx, "LOCK TABLE "+table+" IN EXCLUSIVE MODE")
	return err
}
