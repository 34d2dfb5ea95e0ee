package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"dangjian/internal/store"
)

// A Snapshot is a database filled once per dialect and test binary, of
// which every test that opens it gets its own copy: tests that start from
// the same large state (the demo's first day) pay for building it once,
// and what one of them writes no other sees. A SQLite copy is the file
// copied; a PostgreSQL copy is a database created from the snapshot as its
// template. The package's TestMain calls Remove.
type Snapshot struct {
	// Fill writes the state into a migrated, seeded store whose clock is Now.
	Fill func(ctx context.Context, s *store.Store) error
	Now  func() time.Time

	built sync.Map // store.Dialect → *built
}

// Open returns the test's own copy of the snapshot, built first if no test
// has; its store's clock is now (nil: the real one). Tests wanting it while
// it is built wait, while the other dialect's is built beside it.
func (sn *Snapshot) Open(t testing.TB, dialect store.Dialect, now func() time.Time) *store.Store {
	t.Helper()
	empty := emptyDatabase(t, dialect)
	at, err := builtFor(&sn.built, dialect).get(func() (string, error) { return sn.build(dialect, empty) })
	if err != nil {
		t.Fatalf("snapshot on %s: %v", dialect, err)
	}
	return open(t, copyOf(t, dialect, at, now))
}

// build fills a copy of the empty database at empty and returns where it
// is: a PostgreSQL database or a SQLite data directory.
func (sn *Snapshot) build(dialect store.Dialect, empty string) (string, error) {
	cfg := store.Config{Now: sn.Now}
	var at string
	if dialect == store.Postgres {
		id := make([]byte, 6)
		rand.Read(id)
		at = "dangjian_snapshot_" + hex.EncodeToString(id)
		if err := adminExec("CREATE DATABASE " + at + " TEMPLATE " + empty); err != nil {
			return "", err
		}
		u, _ := url.Parse(AdminURL())
		u.Path = "/" + at
		cfg.DatabaseURL = u.String()
	} else {
		dir, err := os.MkdirTemp("", "dangjian-snapshot-")
		if err != nil {
			return "", err
		}
		if err := os.CopyFS(dir, os.DirFS(empty)); err != nil {
			return dir, err
		}
		at, cfg.DataDir = dir, dir
	}
	return at, fill(cfg, sn.Fill)
}

// Remove deletes every snapshot built.
func (sn *Snapshot) Remove() {
	sn.built.Range(func(dialect, b any) bool {
		at := b.(*built).at
		if at == "" {
			return true
		}
		if dialect == store.Postgres {
			adminExec("DROP DATABASE IF EXISTS " + at + " WITH (FORCE)")
		} else {
			os.RemoveAll(at)
		}
		return true
	})
	sn.built.Clear()
}

func adminExec(stmt string) error {
	admin, err := sql.Open("pgx", AdminURL())
	if err != nil {
		return err
	}
	defer admin.Close()
	if _, err := admin.Exec(stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}
