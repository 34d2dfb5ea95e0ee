package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"dangjian/internal/store"
)

// Every test database starts as a copy of an empty one: migrated and seeded
// with the default dictionaries. Migrating took one to three seconds a test
// under the race detector, some six hundred times a run. The empty database
// is named by store.Fingerprint, so every test binary and every run shares
// it until a migration or a default dictionary changes; whichever test first
// misses it builds it under a name of its own and renames it into place, so
// binaries racing to build it never see half of one. Those left behind by
// other fingerprints are dropped after a day.

// The names the empty databases, and those being built, start with: on
// PostgreSQL (pruned by prunePostgres's LIKE patterns) and in the
// temporary directory.
const (
	templatePrefix    = "dangjian_template_"
	buildingPrefix    = "dangjian_building_"
	templateDirPrefix = "dangjian-template-"
	buildingDirPrefix = "dangjian-building-"
	templateMaxAge    = 24 * time.Hour
)

var empties sync.Map // store.Dialect → *built

// built is a database built once per test binary: where it is (a
// PostgreSQL database or a SQLite data directory), or why it is not.
type built struct {
	once sync.Once
	at   string
	err  error
}

// builtFor returns m's entry for the dialect.
func builtFor(m *sync.Map, dialect store.Dialect) *built {
	b, _ := m.LoadOrStore(dialect, &built{})
	return b.(*built)
}

// get builds the database the first time it is asked for; later callers,
// and those asking meanwhile, get the same answer.
func (b *built) get(build func() (string, error)) (string, error) {
	b.once.Do(func() { b.at, b.err = build() })
	return b.at, b.err
}

// emptyDatabase returns where the dialect's empty database is, built first
// if no test binary has built it.
func emptyDatabase(t testing.TB, dialect store.Dialect) string {
	t.Helper()
	if dialect == store.Postgres {
		adminDB(t).Close() // skip or fail, loudly, without a server
	}
	at, err := builtFor(&empties, dialect).get(func() (string, error) {
		fp, err := store.Fingerprint(dialect)
		if err != nil {
			return "", err
		}
		if dialect == store.Postgres {
			return emptyPostgres(fp)
		}
		return emptySQLite(fp)
	})
	if err != nil {
		t.Fatalf("empty %s database: %v", dialect, err)
	}
	return at
}

func emptySQLite(fp string) (string, error) {
	final := filepath.Join(os.TempDir(), templateDirPrefix+fp)
	if _, err := os.Stat(filepath.Join(final, "dangjian.db")); err == nil {
		return final, nil
	}
	dir, err := os.MkdirTemp("", buildingDirPrefix)
	if err != nil {
		return "", err
	}
	if err := fill(store.Config{DataDir: dir}, nil); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	if err := os.Rename(dir, final); err != nil {
		os.RemoveAll(dir)
		if _, serr := os.Stat(filepath.Join(final, "dangjian.db")); serr != nil {
			return "", err
		}
		return final, nil // another binary built it first
	}
	pruneSQLite(final)
	return final, nil
}

// pruneSQLite removes other fingerprints' directories, and builds a killed
// binary left, once they are a day old.
func pruneSQLite(keep string) {
	for _, prefix := range []string{templateDirPrefix, buildingDirPrefix} {
		old, _ := filepath.Glob(filepath.Join(os.TempDir(), prefix+"*"))
		for _, dir := range old {
			if fi, err := os.Stat(dir); err == nil && dir != keep && time.Since(fi.ModTime()) > templateMaxAge {
				os.RemoveAll(dir)
			}
		}
	}
}

func emptyPostgres(fp string) (string, error) {
	admin, err := sql.Open("pgx", AdminURL())
	if err != nil {
		return "", err
	}
	defer admin.Close()
	final := templatePrefix + fp
	var n int
	if err := admin.QueryRow(`SELECT COUNT(*) FROM pg_database WHERE datname = $1`, final).Scan(&n); err != nil || n > 0 {
		return final, err
	}
	id := make([]byte, 6)
	rand.Read(id)
	building := buildingPrefix + hex.EncodeToString(id)
	if _, err := admin.Exec("CREATE DATABASE " + building); err != nil {
		return "", err
	}
	// The comment is when it was built (Unix seconds), for pruning.
	_, err = admin.Exec(fmt.Sprintf("COMMENT ON DATABASE %s IS '%d'", building, time.Now().Unix()))
	if err == nil {
		u, _ := url.Parse(AdminURL())
		u.Path = "/" + building
		err = fill(store.Config{DatabaseURL: u.String()}, nil)
	}
	if err == nil {
		_, err = admin.Exec("ALTER DATABASE " + building + " RENAME TO " + final)
	}
	if err != nil {
		admin.Exec("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)")
		if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "42P04" {
			return final, nil // another binary built it first
		}
		return "", err
	}
	prunePostgres(admin, final)
	return final, nil
}

// prunePostgres drops other fingerprints' databases, and builds a killed
// binary left, once they are a day old.
func prunePostgres(admin *sql.DB, keep string) {
	rows, err := admin.Query(`SELECT datname, COALESCE(shobj_description(oid, 'pg_database'), '') FROM pg_database
		WHERE datname LIKE 'dangjian\_template\_%' OR datname LIKE 'dangjian\_building\_%'`)
	if err != nil {
		return
	}
	var old []string
	for rows.Next() {
		var name, built string
		if rows.Scan(&name, &built) != nil {
			continue
		}
		if sec, err := strconv.ParseInt(built, 10, 64); err == nil && name != keep && time.Since(time.Unix(sec, 0)) > templateMaxAge {
			old = append(old, name)
		}
	}
	rows.Close()
	for _, name := range old {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	}
}

// fill opens the store of cfg — a copy of the empty database, or, to build
// that, a database with nothing in it — has f write into it, and closes
// it: a template database must have nobody connected, and a SQLite file
// copied whole must have its log checkpointed into it.
func fill(cfg store.Config, f func(context.Context, *store.Store) error) error {
	ctx := context.Background()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		return err
	}
	if f == nil { // building the empty database itself
		if _, err = s.Migrate(ctx); err == nil {
			err = s.SeedDicts(ctx)
		}
	} else {
		err = f(ctx, s)
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err == nil && cfg.DataDir != "" {
		// The lock file belongs to whoever opens the directory.
		err = os.Remove(filepath.Join(cfg.DataDir, "dangjian.db.lock"))
	}
	return err
}

// copyOf returns the configuration of the test's own copy of a filled
// database (SQLite: a data directory; PostgreSQL: a database name).
func copyOf(t testing.TB, dialect store.Dialect, at string, now func() time.Time) store.Config {
	t.Helper()
	cfg := store.Config{Now: now}
	if dialect == store.Postgres {
		cfg.DatabaseURL = postgresDatabase(t, at)
	} else {
		cfg.DataDir = t.TempDir()
		if err := os.CopyFS(cfg.DataDir, os.DirFS(at)); err != nil {
			t.Fatalf("copy %s: %v", at, err)
		}
	}
	return cfg
}
