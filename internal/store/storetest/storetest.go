// Package storetest opens real, throwaway databases for tests: a SQLite file
// in a temporary directory, and a fresh PostgreSQL database that is created
// for the test and dropped after it.
//
// PostgreSQL comes from DATABASE_URL or the local server at 127.0.0.1:5432
// (user postgres). When none answers the PostgreSQL half is skipped with a
// loud reason — unless DANGJIAN_REQUIRE_ALL is set (CI), where it fails.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"dangjian/internal/store"
)

// Clock is a settable clock for tests that need time to pass (lockouts, idle
// sessions) without sleeping.
// It is safe to read while a test moves it (background jobs read it).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at a fixed moment.
func NewClock() *Clock { return &Clock{t: time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Dialects runs fn once for each database, as subtests named after them.
// Each run has a database of its own, so the test runs in parallel with the
// package's other parallel tests, and its two halves with each other.
func Dialects(t *testing.T, fn func(t *testing.T, dialect store.Dialect)) {
	t.Helper()
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

// Open returns a migrated store of the dialect with the default
// dictionaries, closed and removed when the test ends. now may be nil.
func Open(t testing.TB, dialect store.Dialect, now func() time.Time) *store.Store {
	t.Helper()
	return open(t, copyOf(t, dialect, emptyDatabase(t, dialect), now))
}

// OpenTwice returns two stores on one migrated database of the dialect, as
// two instances of the service would have: for what must hold across
// instances (a job run once, a session seen by both). Each migrates, as an
// instance does when it starts.
func OpenTwice(t testing.TB, dialect store.Dialect, now func() time.Time) (*store.Store, *store.Store) {
	t.Helper()
	cfg := copyOf(t, dialect, emptyDatabase(t, dialect), now)
	var pair [2]*store.Store
	for i := range pair {
		pair[i] = open(t, cfg)
		if _, err := pair[i].Migrate(context.Background()); err != nil {
			t.Fatalf("migrate %s: %v", dialect, err)
		}
	}
	return pair[0], pair[1]
}

// open opens the store of cfg and closes it when the test ends.
func open(t testing.TB, cfg store.Config) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// AdminURL is the PostgreSQL server tests create their databases on.
func AdminURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// PostgresDatabase creates an empty database for the test and returns its
// URL; it is dropped when the test ends.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	return postgresDatabase(t, "")
}

// postgresDatabase creates the test's database, a copy of template when
// it is not "".
func postgresDatabase(t testing.TB, template string) string {
	t.Helper()
	admin := adminDB(t)
	b := make([]byte, 6)
	rand.Read(b)
	name := "dangjian_test_" + hex.EncodeToString(b)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := admin.Exec(create); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

// adminDB connects to the server tests create their databases on, or
// skips (fails, in CI) the test when none answers.
func adminDB(t testing.TB) *sql.DB {
	t.Helper()
	admin, err := sql.Open("pgx", AdminURL())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		Missing(t, "PostgreSQL at "+redact(AdminURL())+" is not reachable ("+strings.Join(strings.Fields(err.Error()), " ")+")")
	}
	return admin
}

// Missing skips a test whose outside dependency is absent, loudly, or fails
// it when DANGJIAN_REQUIRE_ALL is set, so CI cannot pass by skipping.
func Missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("DANGJIAN_REQUIRE_ALL") != "" {
		t.Fatalf("REQUIRED BUT MISSING: %s", why)
	}
	announce(why)
	t.Skipf("SKIPPED — %s. Set it up (see README) to run this test.", why)
}

// announced holds the reasons already shown by this test binary.
var announced sync.Map

// announce tells whoever runs `go test ./...` that tests were skipped, once
// per reason and package. The go command shows a passing package's output
// only with -v, so the line is written to the go command's own standard
// error (the test binary's parent) where the system has one (Linux), and to
// the binary's own otherwise.
func announce(why string) {
	if _, seen := announced.LoadOrStore(why, true); seen {
		return
	}
	line := "SKIPPED — " + why + "; the tests that need it did not run (see README).\n"
	if f, err := os.OpenFile(fmt.Sprintf("/proc/%d/fd/2", os.Getppid()), os.O_WRONLY|os.O_APPEND, 0); err == nil {
		defer f.Close()
		if _, err := f.WriteString(line); err == nil {
			return
		}
	}
	os.Stderr.WriteString(line)
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "DATABASE_URL"
	}
	return u.Redacted()
}
