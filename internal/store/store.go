// Package store keeps the records in SQLite (embedded, the default) or
// PostgreSQL. SQL is written by hand in a subset both understand; queries use
// '?' placeholders and are rebound for PostgreSQL. Every method that reads or
// lists takes the caller's scope; every method that changes takes the actor and
// writes the audit record in the same transaction.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // SQLite driver "sqlite", pure Go

	"dangjian/internal/dict"
)

// Dialect is the database in use.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

//go:embed migrations
var migrations embed.FS

// Config says where the data lives.
type Config struct {
	// DatabaseURL, when set (postgres://…), selects PostgreSQL.
	DatabaseURL string
	// DataDir holds dangjian.db when SQLite is used.
	DataDir string
	// Now is the clock; nil means time.Now. Tests pass a fixed one.
	Now func() time.Time
	// Keys, when set, turn on field encryption: ID numbers and phones are
	// sealed with SM4 and indexed with HMAC-SM3 (sealer_sm4.go).
	Keys *Keys
}

// Store is the database. It is safe for concurrent use by many requests.
type Store struct {
	dialect Dialect
	w       *sql.DB // writes: SQLite allows one writer, so one connection
	r       *sql.DB // reads: a pool (the same pool as w on PostgreSQL)
	now     func() time.Time
	seal    Sealer
	stmts   stmtCache // the read pool's
	wstmts  stmtCache // the writer's (SQLite), used inside transactions
	lock    *os.File  // SQLite: held shared while open, so a restore can tell
	seen    seenTimes // sessions' last requests not yet written (sessions.go)
	signins batcher   // SQLite: concurrent sign-ins share a transaction (events_signin.go)
}

// Open connects and checks the connection; it does not migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	s := &Store{now: cfg.Now, seal: plainSealer{}}
	if cfg.Keys != nil {
		sealer, err := NewSM4Sealer(*cfg.Keys)
		if err != nil {
			return nil, err
		}
		s.seal = sealer
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.DatabaseURL != "" {
		pc, err := pgx.ParseConfig(cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		db := stdlib.OpenDB(*pc, stdlib.OptionAfterConnect(jitOff))
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.dialect, s.w, s.r = Postgres, db, db
	} else {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
		path := filepath.Join(cfg.DataDir, "dangjian.db")
		lock, err := lockFile(path+".lock", false)
		if err != nil {
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
		s.lock = lock
		// busy_timeout first, so that switching to WAL waits for other
		// processes instead of failing; FULL sync because this is a system of
		// record and an acknowledged write must survive a power cut too.
		dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_time_format=sqlite"
		w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
		if err != nil {
			lock.Close()
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		// Readers map the file into memory (up to SQLite's 2 GB limit)
		// rather than copying every page through read() into a 2 MB cache
		// of their own: a province's figures read hundreds of megabytes,
		// and the page cache of the operating system is shared by all
		// connections. Their sorts stay in memory too. The writer keeps
		// plain I/O, so an I/O error while writing is an error, not a
		// signal.
		r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)&_pragma=mmap_size(2147418112)&_pragma=temp_store(MEMORY)")
		if err != nil {
			w.Close()
			lock.Close()
			return nil, err
		}
		r.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
		r.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
		s.dialect, s.w, s.r = SQLite, w, r
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// jitOff switches PostgreSQL's JIT compiler off for a connection: a
// province's figures are estimated expensive enough to be compiled, and
// compiling took 100 ms of a 180 ms statement that then ran no faster. A
// PostgreSQL-compatible database without the setting is left as it is.
func jitOff(ctx context.Context, c *pgx.Conn) error {
	_, err := c.Exec(ctx, "SET jit = off")
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42704" { // unrecognized configuration parameter
		return nil
	}
	return err
}

// Dialect reports the database in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

// Ping checks that the database answers; /healthz uses it.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return err
	}
	return s.r.PingContext(ctx)
}

// Pools are the connection pools by name, for monitoring.
func (s *Store) Pools() map[string]*sql.DB {
	if s.w == s.r {
		return map[string]*sql.DB{"postgres": s.w}
	}
	return map[string]*sql.DB{"sqlite_writer": s.w, "sqlite_reader": s.r}
}

// SchemaCurrent reports whether every migration this binary carries has
// been applied (readiness: an instance on an older schema must not serve).
func (s *Store) SchemaCurrent(ctx context.Context) (bool, error) {
	// Counted, not compared by the highest number: migrations written on
	// parallel branches may be applied out of order (see Migrate).
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(DISTINCT version_id) FROM goose_db_version WHERE is_applied AND version_id > 0").Scan(&n)
	if err != nil {
		return false, mapErr(err)
	}
	return n >= migrationCount(), nil
}

// Close writes what it still holds and releases the connections.
func (s *Store) Close() error {
	err := s.closeSeen()
	s.stmts.close()
	s.wstmts.close()
	err = errors.Join(err, s.w.Close())
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	if s.lock != nil {
		err = errors.Join(err, s.lock.Close())
	}
	return err
}

// Migrate applies the embedded migrations of the dialect, each in its own
// transaction, and returns how many were applied.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return 0, err
	}
	d := goose.DialectSQLite3
	if s.dialect == Postgres {
		d = goose.DialectPostgres
	}
	// Out of order: a migration numbered below one already applied (written
	// on a branch that landed later) is applied rather than refused. Each
	// migration touches its own module's tables, so their order between
	// modules does not matter.
	p, err := goose.NewProvider(d, s.w, sub, goose.WithAllowOutofOrder(true))
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil || len(res) == 0 {
		return len(res), err
	}
	// Labels depend on the code that computes them (org.PathLabels) as much
	// as on the tree, and so do the counts of what was held
	// (event.HeldMonths) and the headcounts (people.Headcounts): after an
	// upgrade they are written afresh.
	return len(res), s.inTx(ctx, func(t *tx) error {
		if err := t.relabelOrgs(ctx); err != nil {
			return err
		}
		if err := t.recountEveryRoster(ctx); err != nil {
			return err
		}
		return t.recountEveryHeld(ctx)
	})
}

// Fingerprint names the empty database this build makes on the dialect:
// its migrations and its default dictionaries. Builds with one fingerprint
// migrate and seed to the same database, so a copy made by one serves the
// other (every test database starts as such a copy).
func Fingerprint(d Dialect) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations, "migrations/"+string(d), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := migrations.ReadFile(path)
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return err
	})
	fmt.Fprintf(h, "%#v", dict.Defaults) // fmt prints maps sorted by key
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

// RefreshStatistics has PostgreSQL sample the tables again during a bulk
// load into a young database. The plans a session caches for the triggers'
// statements were made while the tables were nearly empty, so they scan
// them whole; without autovacuum (off on CI's server) nothing makes them
// again, and the generator wrote 17 events a second where it can write 285.
// ANALYZE invalidates those plans. SQLite plans without row counts: nothing to do.
func (s *Store) RefreshStatistics(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	_, err := s.w.ExecContext(ctx, "ANALYZE")
	return err
}

// rebind turns '?' placeholders into PostgreSQL's $1, $2 …
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// query and queryRow read from the read pool, through statements prepared
// once: compiling the SQL cost as much as running it.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.stmts.get(ctx, s, q); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, mapErr(err)
	}
	rows, err := s.r.QueryContext(ctx, s.rebind(q), args...)
	return rows, mapErr(err)
}

// eachRow runs a read and hands each row's Scan to fn, closing the rows
// whatever happens.
func (s *Store) eachRow(ctx context.Context, q string, args []any, fn func(scan func(dest ...any) error) error) error {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.stmts.get(ctx, s, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, s.rebind(q), args...)
}

// stmtCache keeps the read pool's prepared statements by their SQL. Filters
// make a bounded number of distinct texts; past maxStmts new ones are not kept.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxStmts = 512

func (c *stmtCache) get(ctx context.Context, s *Store, q string) *sql.Stmt {
	if s.dialect != SQLite { // pgx caches prepared statements itself
		return nil
	}
	if st := c.lookup(q); st != nil {
		return st
	}
	return c.prepare(ctx, s.r, q)
}

func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[q]
}

// prepare compiles q on db and keeps it; nil when it cannot (the plain
// query then runs and reports any error) or the cache is full. The lock is
// not held while preparing: preparing waits for a connection, and on the
// writer the connection may belong to a transaction that is itself waiting
// to look a statement up.
func (c *stmtCache) prepare(ctx context.Context, db *sql.DB, q string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.m[q]
	full := len(c.m) >= maxStmts
	c.mu.Unlock()
	if ok {
		return st
	}
	if full {
		return nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if kept, ok := c.m[q]; ok { // prepared meanwhile by another caller
		st.Close()
		return kept
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// rowQuerier is what reads one row: the store (its read pool) or a write
// transaction, so a lookup is written once for both.
type rowQuerier interface {
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// querier reads rows too, from the read pool or inside a write transaction.
type querier interface {
	rowQuerier
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// tx is a write transaction. Its methods rebind like the store's.
type tx struct {
	s   *Store
	sql *sql.Tx
	// unprepared are the statements this transaction ran without a prepared
	// form; they are prepared once it ends (see stmt).
	unprepared []string
	// heldStale are the organisations' years whose held_months are
	// counted again before the transaction commits (see heldChanged).
	heldStale map[heldYear]bool
	// rosterStale are the organisations whose roster_counts are counted
	// again before the transaction commits (see rosterChanged).
	rosterStale map[string]bool
}

// stmt is q's prepared statement on the SQLite writer, bound to this
// transaction, or nil to run q as text. The writer has one connection, which
// the transaction holds, so a statement first met here cannot be prepared
// now: it runs as text this once and is prepared when the transaction has
// released the connection. Compiling the SQL cost as much as running it.
// PostgreSQL needs none of this: pgx prepares and caches statements itself.
func (t *tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if t.s.dialect != SQLite {
		return nil
	}
	if st := t.s.wstmts.lookup(q); st != nil {
		return t.sql.StmtContext(ctx, st)
	}
	t.unprepared = append(t.unprepared, q)
	return nil
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, q); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return res, mapErr(err)
	}
	res, err := t.sql.ExecContext(ctx, t.s.rebind(q), args...)
	return res, mapErr(err)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, q); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, mapErr(err)
	}
	rows, err := t.sql.QueryContext(ctx, t.s.rebind(q), args...)
	return rows, mapErr(err)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.sql.QueryRowContext(ctx, t.s.rebind(q), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (t *tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, mapErr(err)
}

// update runs an UPDATE guarded by "AND version = ?" and turns "no row
// matched" into a stale-edit conflict.
func (t *tx) update(ctx context.Context, q string, args ...any) error {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errStale
	}
	return nil
}

// inTx runs fn in a write transaction, committing when it returns nil. On
// SQLite a transaction that met a lock held by another process is retried.
func (s *Store) inTx(ctx context.Context, fn func(*tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.tryTx(ctx, fn)
		if err == nil || !isBusy(err) || attempt == 4 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(50*(attempt+1)) * time.Millisecond):
		}
	}
}

func (s *Store) tryTx(ctx context.Context, fn func(*tx) error) error {
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	t := &tx{s: s, sql: sqlTx}
	defer t.prepareMet(ctx)
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := t.recountHeld(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := t.recountRoster(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	return mapErr(sqlTx.Commit())
}

// prepareMet prepares, on the writer, the statements the transaction ran as
// text, now that it has given the connection back.
func (t *tx) prepareMet(ctx context.Context) {
	for _, q := range t.unprepared {
		t.s.wstmts.prepare(ctx, t.s.w, q)
	}
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}
