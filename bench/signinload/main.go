// Command signinload is the QR sign-in's load benchmark: one province-wide
// event (集中学习 of the whole 机关党委) with 10,000 people expected, each
// with their own session, who all scan within moments of each other. It
// builds the roster with the demo generator on SQLite, starts the real
// server on loopback, has a projector fetch the rotating code as the screen
// does, and has the phones sign in through POST /api/v1/events/{id}/signin.
// Every answer must be a 200 that says 签到成功, and afterwards the database
// must hold every sign-in and its audit record: nothing lost. A second round
// (everyone scans again) must change nothing. Then it times the compliance
// calendar of one branch and of the whole committee over a year of events.
//
//	go run ./bench/signinload                   # 10,000 people, 200 phones at once
//	go run ./bench/signinload -people 20000 -clients 400
//	go run ./bench/signinload -database-url postgres://postgres@127.0.0.1:5432/postgres
//
// With -database-url it runs on a fresh database it creates on that
// PostgreSQL server (and drops afterwards unless -keep).
//
// bench/RESULTS.md records what it measured.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"dangjian/bench"
	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/store"
)

type options struct {
	people   int
	clients  int
	calendar time.Duration
	history  bool
	dataDir  string
	pgURL    string
	keep     bool
	seed     int64
	cpu      string
}

func main() {
	var o options
	fs := flag.NewFlagSet("signinload", flag.ExitOnError)
	fs.IntVar(&o.people, "people", 10_000, "people on the roster, all expected at the event")
	fs.IntVar(&o.clients, "clients", 200, "phones signing in at the same moment (each its own connection)")
	fs.DurationVar(&o.calendar, "calendar", 10*time.Second, "how long each calendar phase runs")
	fs.BoolVar(&o.history, "history", true, "a year of held events of every branch and group, for the calendar")
	fs.StringVar(&o.dataDir, "data-dir", "", "database directory; empty means a fresh temporary one")
	fs.StringVar(&o.pgURL, "database-url", "", "a PostgreSQL server to run on, in a fresh database made there; empty means SQLite")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary database directory (or PostgreSQL database)")
	fs.Int64Var(&o.seed, "seed", 2026, "seed of the generated people")
	fs.StringVar(&o.cpu, "cpuprofile", "", "write a CPU profile of the sign-in rounds to this file")
	fs.Parse(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "signinload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, out io.Writer) (err error) {
	if o.people < 100 || o.clients < 1 {
		return errors.New("need -people ≥ 100 and -clients ≥ 1")
	}
	dir := o.dataDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "dangjian-signinload-*"); err != nil {
			return err
		}
		if o.keep {
			defer fmt.Fprintf(out, "database kept in %s\n", dir)
		} else {
			defer os.RemoveAll(dir)
		}
	}
	dbURL := ""
	if o.pgURL != "" {
		var drop func()
		if dbURL, drop, err = freshPostgres(o.pgURL, o.keep, out); err != nil {
			return err
		}
		defer drop() // after the platform closed
	}
	cfg := config.Default()
	cfg.Addr, cfg.DataDir, cfg.DatabaseURL, cfg.BaseURL, cfg.TLSCert, cfg.TLSKey = "127.0.0.1:0", dir, dbURL, "", "", ""
	cfg.SecureCookies, cfg.TrustProxy, cfg.LoginPerMin = false, false, 1_000_000
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Open(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	st := a.Store()

	started := time.Now()
	today := date.FromTime(time.Now().In(event.China))
	r, err := bench.Fill(ctx, st, o.people, today, o.seed, nil)
	if err != nil {
		return err
	}
	if err := st.SeedEvents(ctx); err != nil {
		return err
	}
	kinds, err := kindsByCode(ctx, st)
	if err != nil {
		return err
	}
	branches, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Branch, org.Group}})
	if err != nil {
		return err
	}
	historyEvents := 0
	if o.history {
		if historyEvents, err = history(ctx, st, kinds, branches, today); err != nil {
			return err
		}
	}
	now := time.Now()
	big := &event.Event{OrgID: r.Root.ID, KindID: kinds["study_session"].ID, Title: "全市政法系统党史学习教育集中学习",
		PlannedStart: now.Add(-5 * time.Minute), PlannedEnd: now.Add(2 * time.Hour), Audience: event.Everyone}
	if err := st.CreateEvent(ctx, audit.System, auth.Everything, big, nil); err != nil {
		return err
	}
	phones, err := sessions(ctx, dir, dbURL, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ready in %s: %d current people, %d phones with a session, %d held events of history, event %d\n",
		time.Since(started).Round(time.Second), r.People, len(phones), historyEvents, big.ID)

	if _, err := a.Listen(); err != nil {
		return err
	}
	base, err := loopback(a.URL())
	if err != nil {
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

	committee, err := login(ctx, base, "committee", "Demo#2026jgdw")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "load: %d phones at once, each its own connection; GOMAXPROCS %d, %s\n\n", o.clients, runtime.GOMAXPROCS(0), runtime.Version())
	var results []result
	if o.cpu != "" {
		f, err := os.Create(o.cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	for _, round := range []string{"signin", "again"} {
		res, err := signInAll(ctx, base, committee, big.ID, phones, o.clients, round)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	if o.cpu != "" {
		pprof.StopCPUProfile()
	}
	lost, err := verify(ctx, st, big.ID, len(phones))
	if err != nil {
		return err
	}
	month := time.Now().In(event.China).Format("2006-01")
	first := branches[0]
	for _, ph := range []struct {
		name, path string
		clients    int
	}{
		{"calendar of " + first.Name + " (API)", fmt.Sprintf("/api/v1/events/calendar?org=%d&month=%s", first.ID, month), 4},
		{"calendar of " + first.Name + " (page)", fmt.Sprintf("/events?org=%d&month=%s", first.ID, month), 4},
		{"calendar of the whole committee (API)", fmt.Sprintf("/api/v1/events/calendar?org=%d&month=%s", r.Root.ID, month), 4},
		{"calendar of the whole committee (page)", fmt.Sprintf("/events?org=%d&month=%s", r.Root.ID, month), 4},
		{"figures of the whole committee, a year, with the year before (API)",
			fmt.Sprintf("/api/v1/events/figures?org=%d&from=%s&to=%s", r.Root.ID, today.AddDate(-1, 0, 1), today), 1},
	} {
		res, err := timed(ctx, committee, base, ph.name, ph.path, ph.clients, o.calendar)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	report(out, results)
	if lost != "" {
		return errors.New(lost)
	}
	for _, res := range results {
		if res.errors > 0 {
			return fmt.Errorf("%d errors in %s", res.errors, res.name)
		}
	}
	return nil
}

func kindsByCode(ctx context.Context, st *store.Store) (map[string]event.Kind, error) {
	list, err := st.EventKinds(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]event.Kind{}
	for _, k := range list {
		out[k.Code] = k
	}
	return out, nil
}

// history records a year of held events for every branch and group: each
// month a 支委会, a 主题党日 and a 党小组会, each quarter a 支部党员大会 and
// a 党课, so the calendar has a year of periods to judge.
func history(ctx context.Context, st *store.Store, kinds map[string]event.Kind, orgs []org.Org, today date.Date) (int, error) {
	n := 0
	for m := 1; m <= 12; m++ {
		first := date.Of(today.Year(), today.Month(), 1).AddDate(0, -m, 0)
		for _, o := range orgs {
			codes := []string{"branch_committee", "theme_day"}
			if o.Kind == org.Group {
				codes = []string{"group_meeting"}
			} else if m%3 == 0 {
				codes = append(codes, "branch_congress", "party_lecture")
			}
			for i, code := range codes {
				start := time.Date(first.Year(), first.Month(), 5+i*3, 9, 0, 0, 0, event.China)
				e := &event.Event{OrgID: o.ID, KindID: kinds[code].ID, Status: event.Held, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
					HeldStart: start, HeldEnd: start.Add(2 * time.Hour), Place: "党员活动室"}
				if err := st.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
					return n, fmt.Errorf("history: %w", err)
				}
				n++
			}
		}
	}
	return n, nil
}

// phone is one person's signed-in phone: the cookie of their session.
type phone struct {
	personID int64
	token    string
}

// sessions gives every person on the roster a member account (activated,
// as the security administrator would) and a live session, written straight into the database in one transaction: logging
// 10,000 people in through argon2 would measure the password hash, not
// the sign-in.
func sessions(ctx context.Context, dir, pgURL string, now time.Time) ([]phone, error) {
	driver, dsn := "sqlite", "file:"+dir+"/dangjian.db?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_time_format=sqlite"
	if pgURL != "" {
		driver, dsn = "pgx", pgURL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	hash, err := auth.HashPassword("Bench#2026phone")
	if err != nil {
		return nil, err
	}
	// $n placeholders: both drivers take them.
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (username, display_name, role, org_id, person_id, password_hash, password_changed_at,
		must_change, failures, disabled, totp_secret, version, created_at, activated_at)
		SELECT 'phone' || p.id, p.name, 'member', p.org_id, p.id, $1, $2, FALSE, 0, FALSE, '', 1, $3, $4 FROM people p
		WHERE p.left_on IS NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.person_id = p.id)`, hash, now.UTC(), now.UTC(), now.UTC()); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT u.id, u.person_id FROM users u JOIN people p ON p.id = u.person_id
		WHERE p.left_on IS NULL ORDER BY u.id`)
	if err != nil {
		return nil, err
	}
	type account struct{ user, person int64 }
	var accounts []account
	for rows.Next() {
		var a account
		if err := rows.Scan(&a.user, &a.person); err != nil {
			rows.Close()
			return nil, err
		}
		accounts = append(accounts, a)
	}
	rows.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, '127.0.0.1', 'signinload')`)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	out := make([]phone, 0, len(accounts))
	for _, a := range accounts {
		token, hash := auth.NewToken()
		if _, err := ins.ExecContext(ctx, hash, a.user, now.UTC(), now.UTC(), now.Add(12*time.Hour).UTC()); err != nil {
			return nil, err
		}
		out = append(out, phone{a.person, token})
	}
	return out, tx.Commit()
}

// verify checks the database after the rounds: every person present, by
// QR, with exactly one sign-in record each.
func verify(ctx context.Context, st *store.Store, eventID int64, want int) (string, error) {
	list, err := st.EventAttendance(ctx, auth.Everything, eventID)
	if err != nil {
		return "", err
	}
	present := 0
	for _, a := range list {
		if a.Mark == event.Present && a.Source == event.ByQR {
			present++
		}
	}
	_, records, err := st.AuditEntries(ctx, audit.Filter{Action: "event.signin", ObjectType: "event", ObjectID: fmt.Sprint(eventID), Limit: 1})
	if err != nil {
		return "", err
	}
	fmt.Printf("after both rounds: %d of %d on the list present by QR, %d sign-in audit records\n", present, want, records)
	if present != want || records != want {
		return fmt.Sprintf("lost sign-ins: %d present and %d records, want %d", present, records, want), nil
	}
	return "", nil
}

// loopback turns the URL the app prints (localhost:port) into 127.0.0.1.
func loopback(appURL string) (string, error) {
	u, err := url.Parse(appURL)
	if err != nil {
		return "", err
	}
	return "http://" + net.JoinHostPort("127.0.0.1", u.Port()), nil
}

// freshPostgres makes a new database on the PostgreSQL server at serverURL
// and returns its URL and what drops it (nothing, if keep).
func freshPostgres(serverURL string, keep bool, out io.Writer) (string, func(), error) {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", nil, err
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("dangjian_signinload_%d", time.Now().Unix())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		if keep {
			fmt.Fprintf(out, "PostgreSQL database %s kept\n", name)
		} else {
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		}
		admin.Close()
	}, nil
}
