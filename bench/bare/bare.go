// Package bare is the limit the roster is measured against: the leanest
// net/http server a competent engineer would write for the same answers, on
// the same database. It runs the same SQL as the store, prepared once,
// authenticates with the same session query, encodes with encoding/json and
// renders the same table with a plain html/template — and nothing else: no
// middleware, no permission table, no menu, no filter form, no audit, no
// dictionary checks. rosterload runs it beside the real server in the same
// process and reports how close the real one comes (bench/RESULTS.md).
//
// It answers exactly what the load asks for, at the real server's paths:
//
//	GET  /api/v1/people  the JSON list (?org=, ?page=, ?after=, ?before=)
//	GET  /people         the roster table in a minimal page, or (htmx) the results block alone
//	POST /api/v1/people  a bare INSERT of a person with the store's columns
//
// bare_test.go holds it to that: for the same request it answers the same
// JSON and the same results block, byte for byte, as the real server.
package bare

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Server is the bare server over one database.
type Server struct {
	postgres bool
	r, w     *sql.DB // the read pool and the writer, as the store opens them
	stmts    map[string]*sql.Stmt
	now      func() time.Time
	idle     time.Duration // the session idle timeout the real server uses
}

// Open connects to the database the real server uses — a PostgreSQL URL, or
// the SQLite file in dataDir with the store's pragmas and pool sizes — and
// prepares every statement. idle is the real server's session idle timeout.
func Open(ctx context.Context, databaseURL, dataDir string, idle time.Duration) (*Server, error) {
	s := &Server{now: time.Now, idle: idle, stmts: map[string]*sql.Stmt{}}
	if databaseURL != "" {
		db, err := sql.Open("pgx", databaseURL)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
		s.postgres, s.r, s.w = true, db, db
	} else {
		path := filepath.Join(dataDir, "dangjian.db")
		if _, err := os.Stat(path); err != nil {
			return nil, err
		}
		dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_time_format=sqlite"
		w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, err
		}
		r.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
		r.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
		s.r, s.w = r, w
	}
	for name, q := range statements {
		db := s.r
		if strings.HasPrefix(name, "insert") {
			db = s.w
		}
		st, err := db.PrepareContext(ctx, s.rebind(q))
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("bare: prepare %s: %w", name, err)
		}
		s.stmts[name] = st
	}
	return s, nil
}

// Close releases the statements and connections.
func (s *Server) Close() error {
	for _, st := range s.stmts {
		st.Close()
	}
	err := s.r.Close()
	if s.w != s.r {
		err = errors.Join(err, s.w.Close())
	}
	return err
}

// Handler answers the three requests the load makes, nothing else.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/people", s.apiList)
	mux.HandleFunc("GET /people", s.page)
	mux.HandleFunc("POST /api/v1/people", s.create)
	return mux
}

// rebind turns '?' into $1, $2 … for PostgreSQL, as the store does.
func (s *Server) rebind(q string) string {
	if !s.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func fail(w http.ResponseWriter, status int, err error) {
	http.Error(w, err.Error(), status)
}
