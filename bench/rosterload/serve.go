package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"dangjian/bench"
	"dangjian/bench/bare"
	"dangjian/internal/app"
	"dangjian/internal/config"
	"dangjian/internal/date"
)

// ready is what the server process tells the load process once both
// servers listen.
type ready struct {
	Real, Bare, Control string // base URLs
	Roster              bench.Roster
	Imported            time.Duration
}

// serve is the server process: it builds (or reuses) the dialect's
// database, starts the real server and the bare one on it, prints a ready
// line and serves until its standard input closes. Its own CPU time is what
// the load process reads between runs (GET Control+"/cpu"): the servers'
// work alone, without the clients'.
func serve(ctx context.Context, o options, dialect string, out io.Writer) (err error) {
	cfg := config.Default()
	cfg.Addr, cfg.BaseURL, cfg.TLSCert, cfg.TLSKey = "127.0.0.1:0", "", "", ""
	cfg.SecureCookies, cfg.TrustProxy = false, false // plain HTTP on loopback, whatever the environment says
	cfg.LoginPerMin = 1_000_000
	switch dialect {
	case "sqlite":
		cfg.DatabaseURL, cfg.DataDir = "", o.dataDir
		if cfg.DataDir == "" {
			if cfg.DataDir, err = os.MkdirTemp("", "dangjian-rosterload-*"); err != nil {
				return err
			}
			if o.keep {
				defer fmt.Fprintf(out, "SQLite database kept in %s (reuse with -data-dir)\n", cfg.DataDir)
			} else {
				defer os.RemoveAll(cfg.DataDir)
			}
		}
	case "postgres":
		var drop func()
		if cfg.DatabaseURL, drop, err = postgresDatabase(o, out); err != nil {
			return err
		}
		defer drop()
	default:
		return fmt.Errorf("unknown dialect %q", dialect)
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Open(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	r, err := bench.Fill(ctx, a.Store(), o.people, date.FromTime(time.Now()), o.seed, func(done, total int) {
		if done%(4*bench.Batch) == 0 || done == total {
			fmt.Fprintf(out, "%s: imported %d of %d people (%s)\n", dialect, done, total, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return err
	}
	rd := ready{Roster: *r, Imported: time.Since(start)}
	if _, err := a.Listen(); err != nil {
		return err
	}
	if rd.Real, err = loopback(a.URL()); err != nil {
		return err
	}
	srvCtx, stopServer := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Run(srvCtx) }()
	defer func() {
		stopServer()
		if serr := <-served; serr != nil && err == nil {
			err = fmt.Errorf("server: %w", serr)
		}
	}()

	b, err := bare.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.Session.Idle)
	if err != nil {
		return err
	}
	defer b.Close()
	if rd.Bare, err = listen(b.Handler()); err != nil {
		return err
	}
	// The control port tells the load process the CPU time this process has
	// used and, on PostgreSQL, the backends serving this database; and it
	// removes the people a create phase added, so that every run lists the
	// same roster of -people.
	db, err := controlDB(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	control := http.NewServeMux()
	control.HandleFunc("GET /cpu", func(w http.ResponseWriter, r *http.Request) {
		var backends time.Duration
		if cfg.DatabaseURL != "" {
			backends = processesCPU(backendPIDs(r.Context(), db))
		}
		fmt.Fprint(w, int64(processCPU()), " ", int64(backends))
	})
	control.HandleFunc("GET /last-person", func(w http.ResponseWriter, r *http.Request) {
		var id int64
		if err := db.QueryRowContext(r.Context(), "SELECT COALESCE(MAX(id), 0) FROM people").Scan(&id); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, id)
	})
	control.HandleFunc("POST /forget", func(w http.ResponseWriter, r *http.Request) {
		// The newcomers of a create phase: everyone in the 机关党委 itself
		// added after the id it started from.
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		q := "DELETE FROM people WHERE id > ? AND org_id = ?"
		if cfg.DatabaseURL != "" {
			q = "DELETE FROM people WHERE id > $1 AND org_id = $2"
		}
		if _, err := db.ExecContext(r.Context(), q, after, rd.Roster.Root.ID); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	if rd.Control, err = listen(control); err != nil {
		return err
	}

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	line, _ := json.Marshal(rd)
	fmt.Fprintf(out, "READY %s\n", line)
	io.Copy(io.Discard, os.Stdin) // until the load process is done
	return nil
}

// listen serves h on a loopback port of its own.
func listen(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go (&http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
	return "http://" + ln.Addr().String(), nil
}

// controlDB is a connection of the server process's own to the database,
// for what the control port does.
func controlDB(cfg config.Config) (*sql.DB, error) {
	if cfg.DatabaseURL != "" {
		return sql.Open("pgx", cfg.DatabaseURL)
	}
	return sql.Open("sqlite", "file:"+filepath.Join(cfg.DataDir, "dangjian.db")+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
}

// backendPIDs are the PostgreSQL backends connected to the database.
func backendPIDs(ctx context.Context, db *sql.DB) []int {
	rows, err := db.QueryContext(ctx, "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			out = append(out, pid)
		}
	}
	return out
}

// serverCPU asks the server process for the CPU time it has used, and its
// database's backends (0 for SQLite, which runs inside the process).
func serverCPU(ctx context.Context, control string) (process, database time.Duration) {
	req, _ := http.NewRequestWithContext(ctx, "GET", control+"/cpu", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p, d, _ := strings.Cut(string(b), " ")
	pn, _ := strconv.ParseInt(p, 10, 64)
	dn, _ := strconv.ParseInt(d, 10, 64)
	return time.Duration(pn), time.Duration(dn)
}

// lastPerson is the highest person id: where a create phase starts from.
func lastPerson(ctx context.Context, control string) (int64, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", control+"/last-person", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("last person: %s", b)
	}
	return strconv.ParseInt(string(b), 10, 64)
}

// forget removes the people a create phase added after the id last.
func forget(ctx context.Context, control string, last int64) error {
	req, _ := http.NewRequestWithContext(ctx, "POST", control+"/forget?after="+strconv.FormatInt(last, 10), nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("remove the created people: %s", b)
	}
	return nil
}

// readLines passes the server process's progress on and returns its ready
// line; rest is closed once what it says while shutting down has been passed
// on too.
func readLines(r io.Reader, out io.Writer) (rd *ready, rest <-chan struct{}, err error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if payload, ok := strings.CutPrefix(line, "READY "); ok {
			rd = new(ready)
			if err := json.Unmarshal([]byte(payload), rd); err != nil {
				return nil, nil, err
			}
			done := make(chan struct{})
			go func() {
				for sc.Scan() {
					fmt.Fprintln(out, sc.Text())
				}
				close(done)
			}()
			return rd, done, nil
		}
		fmt.Fprintln(out, line)
	}
	return nil, nil, fmt.Errorf("the server process ended before it was ready")
}

// postgresDatabase creates a database for the run on the PostgreSQL server
// and returns its URL and how to drop it; -pg-database names one to reuse.
func postgresDatabase(o options, out io.Writer) (string, func(), error) {
	u, err := url.Parse(o.pgAdmin)
	if err != nil {
		return "", nil, err
	}
	if o.pgDatabase != "" {
		u.Path = "/" + o.pgDatabase
		return u.String(), func() {}, nil
	}
	admin, err := sql.Open("pgx", o.pgAdmin)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "dangjian_rosterload_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database on %s: %w", u.Redacted(), err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		if o.keep {
			fmt.Fprintf(out, "PostgreSQL database kept: %s (reuse with -pg-database %s)\n", name, name)
		} else if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			fmt.Fprintf(out, "drop database %s: %v\n", name, err)
		}
		admin.Close()
	}, nil
}

// loopback turns the URL the app prints (localhost:port) into 127.0.0.1, so
// the load never leaves the loopback interface nor depends on name lookup.
func loopback(appURL string) (string, error) {
	u, err := url.Parse(appURL)
	if err != nil {
		return "", err
	}
	return "http://" + net.JoinHostPort("127.0.0.1", u.Port()), nil
}
