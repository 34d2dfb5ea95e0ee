// Command rosterload is the roster's load benchmark, measured against the
// limit: for each database (SQLite, then the local PostgreSQL) it builds a
// 100,000-person roster and starts, in a server process of its own, the real
// server and beside it, on the same database, the bare net/http server of
// bench/bare. 50 clients — each signed in with its own cookie — drive one,
// then the other, in alternating rounds:
//
//   - api:     GET /api/v1/people, a page of one branch's subtree with its total
//   - page:    GET /people, the whole roster page
//   - results: the same with htmx headers, the results block alone
//   - create:  POST /api/v1/people, a new person
//
// Clients walk the roster as people do: from the page they are on to the
// next or the previous one through the links the answer offers (a cursor
// where the server gives one), and now and then jump to a page by number.
// Every answer is checked; anything but a 200 (201) with the subtree's total,
// the page asked for and 20 rows counts as an error. Before measuring, the two
// servers must answer the same requests with the same bytes.
//
// The servers run in their own process so that their CPU time per request
// can be read apart from the clients': on a shared machine requests per
// second follow whatever else runs, CPU time per request much less.
//
//	go run ./bench/rosterload                          # both databases, ~10 minutes
//	go run ./bench/rosterload -dialects sqlite -data-dir /tmp/r100k   # keep and reuse the SQLite file
//
// It prints req/s, latency percentiles and server CPU per request for both
// servers and the ratios real ÷ bare; bench/RESULTS.md records what it measured.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"dangjian/internal/store/storetest"
)

// options are the command's flags.
type options struct {
	dialects   []string
	people     int
	clients    int
	duration   time.Duration
	warmup     time.Duration
	rounds     int
	pages      int
	phases     []string
	servers    []string
	dataDir    string
	pgAdmin    string
	pgDatabase string
	keep       bool
	seed       int64
	cpuProfile string
	serve      string // set in the server process: its dialect
}

func main() {
	var o options
	var dialects, phases, servers string
	fs := flag.NewFlagSet("rosterload", flag.ExitOnError)
	fs.StringVar(&dialects, "dialects", "sqlite,postgres", "databases to measure, in order: sqlite, postgres")
	fs.IntVar(&o.people, "people", 100_000, "current people on the roster")
	fs.IntVar(&o.clients, "clients", 50, "concurrent clients, each with its own session")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long each measured run lasts")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before each run")
	fs.IntVar(&o.rounds, "rounds", 2, "alternating rounds of real and bare server per phase")
	fs.IntVar(&o.pages, "pages", 50, "clients walk pages 1…pages")
	fs.StringVar(&phases, "phases", "api,page,results,create", "what to measure: api, page, results, create (create last: it adds people)")
	fs.StringVar(&servers, "servers", "real,bare", "which servers to drive: real, bare")
	fs.StringVar(&o.dataDir, "data-dir", "", "SQLite database directory; empty means a fresh temporary one")
	fs.StringVar(&o.pgAdmin, "pg-url", storetest.AdminURL(), "PostgreSQL server the program creates its database on (env DATABASE_URL)")
	fs.StringVar(&o.pgDatabase, "pg-database", "", "use this existing PostgreSQL database (kept) instead of creating and dropping one")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary SQLite directory and the created PostgreSQL database")
	fs.Int64Var(&o.seed, "seed", 2026, "seed of the generated people and of the clients' walks")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the servers under load (all runs, warm-ups included) to this file; cpu.pb becomes cpu.sqlite.pb … for several dialects")
	fs.StringVar(&o.serve, "serve", "", "internal: run as the server process of this dialect")
	fs.Parse(os.Args[1:])
	var err error
	if o.dialects, err = list(dialects, "sqlite", "postgres"); err == nil {
		if o.phases, err = list(phases, "api", "page", "results", "create"); err == nil {
			o.servers, err = list(servers, "real", "bare")
		}
	}
	if err == nil && (o.people < 1000 || o.clients < 1 || o.pages < 2 || o.duration <= 0 || o.rounds < 1) {
		err = errors.New("need -people ≥ 1000, -clients ≥ 1, -pages ≥ 2, a positive -duration and -rounds ≥ 1")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rosterload:", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if o.serve != "" {
		err = serve(ctx, o, o.serve, os.Stdout)
	} else {
		err = run(ctx, o, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rosterload:", err)
		os.Exit(1)
	}
}

// list parses a comma-separated flag whose words must be among allowed.
func list(s string, allowed ...string) ([]string, error) {
	var out []string
	for _, w := range strings.Split(s, ",") {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		found := false
		for _, a := range allowed {
			found = found || a == w
		}
		if !found {
			return nil, fmt.Errorf("unknown %q (one of %s)", w, strings.Join(allowed, ", "))
		}
		out = append(out, w)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty list (one of %s)", strings.Join(allowed, ", "))
	}
	return out, nil
}

func run(ctx context.Context, o options, out io.Writer) error {
	fmt.Fprintf(out, "rosterload: %d people, %d clients, %s runs after %s warm-up, %d rounds; GOMAXPROCS %d, %s, %d CPUs\n",
		o.people, o.clients, o.duration, o.warmup, o.rounds, runtime.GOMAXPROCS(0), runtime.Version(), runtime.NumCPU())
	var failed error
	for _, d := range o.dialects {
		if err := measure(ctx, o, d, out); err != nil {
			if ctx.Err() != nil {
				return err
			}
			failed = errors.Join(failed, fmt.Errorf("%s: %w", d, err))
		}
	}
	return failed
}
