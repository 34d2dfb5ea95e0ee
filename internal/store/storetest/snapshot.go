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

	mu    sync.Mutex
	built map[store.Dialect]*snapshot
}

type snapshot struct {
	once sync.Once
	dir  string // SQLite: the data directory filled
	name string // PostgreSQL: the database filled
	err  error
}

// Open returns the test's own copy of the snapshot, built first if no test
// has; its store's clock is now (nil: the real one).
func (sn *Snapshot) Open(t testing.TB, dialect store.Dialect, now func() time.Time) *store.Store {
	t.Helper()
	b := sn.build(dialect, emptyDatabase(t, dialect))
	if b.err != nil {
		t.Fatalf("snapshot on %s: %v", dialect, b.err)
	}
	at := b.dir
	if dialect == store.Postgres {
		at = b.name
	}
	return open(t, copyOf(t, dialect, at, now))
}

// build fills the dialect's snapshot, a copy of the empty database at
// empty, once; tests wanting it meanwhile wait, while the other dialect's
// is built beside it.
func (sn *Snapshot) build(dialect store.Dialect, empty string) *snapshot {
	sn.mu.Lock()
	if sn.built == nil {
		sn.built = map[store.Dialect]*snapshot{}
	}
	b := sn.built[dialect]
	if b == nil {
		b = &snapshot{}
		sn.built[dialect] = b
	}
	sn.mu.Unlock()
	b.once.Do(func() {
		cfg := store.Config{Now: sn.Now}
		if dialect == store.Postgres {
			id := make([]byte, 6)
			rand.Read(id)
			b.name = "dangjian_snapshot_" + hex.EncodeToString(id)
			if b.err = adminExec("CREATE DATABASE " + b.name + " TEMPLATE " + empty); b.err != nil {
				return
			}
			u, _ := url.Parse(AdminURL())
			u.Path = "/" + b.name
			cfg.DatabaseURL = u.String()
		} else {
			if b.dir, b.err = os.MkdirTemp("", "dangjian-snapshot-"); b.err != nil {
				return
			}
			if b.err = os.CopyFS(b.dir, os.DirFS(empty)); b.err != nil {
				return
			}
			cfg.DataDir = b.dir
		}
		b.err = fill(cfg, sn.Fill)
	})
	return b
}

// Remove deletes every snapshot built.
func (sn *Snapshot) Remove() {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	for _, b := range sn.built {
		if b.dir != "" {
			os.RemoveAll(b.dir)
		}
		if b.name != "" {
			adminExec("DROP DATABASE IF EXISTS " + b.name + " WITH (FORCE)")
		}
	}
	sn.built = nil
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
