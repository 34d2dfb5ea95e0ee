// Command rosterload is the roster's load benchmark: it builds a SQLite
// database with a 100,000-person roster, starts the real server on loopback
// and has 50 clients, each logged in with its own cookie, list one branch's
// subtree 20 a page — first through the JSON API, then as the HTML page —
// and prints the latency percentiles and throughput. Every answer must be a
// 200 carrying the total the store reports; anything else counts as an error.
//
//	go run ./bench/rosterload                      # 100,000 people, 50 clients, 20 s a phase
//	go run ./bench/rosterload -data-dir /tmp/r -keep   # keep the database; a rerun reuses it
//
// bench/RESULTS.md records what it measured.
package main

import (
	"context"
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
	"strings"
	"time"

	"dangjian/bench"
	"dangjian/internal/app"
	"dangjian/internal/config"
	"dangjian/internal/date"
)

// options are the command's flags.
type options struct {
	people     int
	clients    int
	duration   time.Duration
	warmup     time.Duration
	requests   int
	pages      int
	phases     string
	dataDir    string
	keep       bool
	seed       int64
	cpuProfile string
	blockProf  string
	mutexProf  string
}

func main() {
	var o options
	fs := flag.NewFlagSet("rosterload", flag.ExitOnError)
	fs.IntVar(&o.people, "people", 100_000, "current people on the roster")
	fs.IntVar(&o.clients, "clients", 50, "concurrent clients, each with its own session")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "how long each phase runs (ignored with -requests)")
	fs.IntVar(&o.requests, "requests", 0, "requests per phase; when set, it bounds the phase instead of -duration")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured load before each phase")
	fs.IntVar(&o.pages, "pages", 50, "clients ask for a random page in 1…pages")
	fs.StringVar(&o.phases, "phases", "api,page,results", "what to measure: api (GET /api/v1/people), page (GET /people), results (its htmx results block)")
	fs.StringVar(&o.dataDir, "data-dir", "", "database directory; empty means a fresh temporary one")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary database directory")
	fs.Int64Var(&o.seed, "seed", 2026, "seed of the generated people")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the load (warm-ups included) to this file")
	fs.StringVar(&o.blockProf, "blockprofile", "", "write a profile of where the load waited (warm-ups included) to this file")
	fs.StringVar(&o.mutexProf, "mutexprofile", "", "write a profile of mutex contention under load to this file")
	fs.Parse(os.Args[1:])

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rosterload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, out io.Writer) (err error) {
	if o.people < 1000 || o.clients < 1 || o.pages < 1 || (o.requests <= 0 && o.duration <= 0) {
		return errors.New("need -people ≥ 1000, -clients ≥ 1, -pages ≥ 1 and a positive -duration or -requests")
	}
	phases, err := parsePhases(o.phases)
	if err != nil {
		return err
	}
	dir := o.dataDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "dangjian-rosterload-*"); err != nil {
			return err
		}
		if o.keep {
			defer fmt.Fprintf(out, "database kept in %s\n", dir)
		} else {
			defer os.RemoveAll(dir)
		}
	}

	cfg := config.Default()
	cfg.Addr, cfg.DataDir, cfg.DatabaseURL, cfg.BaseURL, cfg.TLSCert, cfg.TLSKey = "127.0.0.1:0", dir, "", "", "", ""
	cfg.SecureCookies, cfg.TrustProxy = false, false // plain HTTP on loopback, whatever the environment says
	cfg.LoginPerMin = 1_000_000
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Open(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer a.Close()

	today := date.FromTime(time.Now())
	start := time.Now()
	r, err := bench.Fill(ctx, a.Store(), o.people, today, o.seed, func(done, total int) {
		if done%(4*bench.Batch) == 0 || done == total {
			fmt.Fprintf(out, "imported %d of %d people (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "database ready in %s (%d people imported): %d current people, %s (id %d) subtree %d people\n",
		time.Since(start).Round(time.Second), r.Added, r.People, r.Branch.Name, r.Branch.ID, r.Subtree)
	if r.People != o.people {
		fmt.Fprintf(out, "note: the database already held more than -people %d\n", o.people)
	}

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

	clients, err := logIn(ctx, base, o.clients, o.seed)
	if err != nil {
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

	if o.blockProf != "" {
		runtime.SetBlockProfileRate(int(10 * time.Microsecond))
		defer writeProfile("block", o.blockProf)
	}
	if o.mutexProf != "" {
		runtime.SetMutexProfileFraction(1)
		defer writeProfile("mutex", o.mutexProf)
	}

	bound := fmt.Sprintf("%s a phase after %s warm-up", o.duration, o.warmup)
	if o.requests > 0 {
		bound = fmt.Sprintf("%d requests a phase after %s warm-up", o.requests, o.warmup)
	}
	fmt.Fprintf(out, "load: %d clients (half branch1 in its own scope, half committee with ?org=%d), pages 1…%d, %s; GOMAXPROCS %d, %s\n",
		o.clients, r.Branch.ID, o.pages, bound, runtime.GOMAXPROCS(0), runtime.Version())
	var results []result
	for _, ph := range phases {
		lp := loadPhase{name: ph, branchID: r.Branch.ID, total: r.Subtree, pages: o.pages}
		if o.warmup > 0 {
			lp.run(ctx, clients, time.Now().Add(o.warmup), 0)
		}
		fmt.Fprintf(out, "%s: load average before %s\n", ph, loadAverage())
		cpu := processCPU()
		res := lp.run(ctx, clients, time.Now().Add(o.duration), o.requests)
		res[0].cpu = processCPU() - cpu
		results = append(results, res...)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	report(out, r, results)
	for _, res := range results {
		if res.errors > 0 {
			return fmt.Errorf("%d errors in %s", res.errors, res.name)
		}
	}
	return nil
}

func parsePhases(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		switch p = strings.TrimSpace(p); p {
		case "api", "page", "results":
			out = append(out, p)
		case "":
		default:
			return nil, fmt.Errorf("unknown phase %q (api, page, results)", p)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no phase to run")
	}
	return out, nil
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

// report prints the numbers, in a table that goes into RESULTS.md as it is.
func report(out io.Writer, r *bench.Roster, results []result) {
	fmt.Fprintf(out, "\nroster %d current people; subtree %s %d people; 20 a page\n\n", r.People, r.Branch.Name, r.Subtree)
	fmt.Fprintln(out, "| phase | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | CPU cores used |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, res := range results {
		cores := ""
		if res.cpu > 0 {
			cores = fmt.Sprintf("%.2f", res.cpu.Seconds()/res.elapsed.Seconds())
		}
		fmt.Fprintf(out, "| %s | %d | %d | %d | %.0f | %s | %s | %s | %s | %s |\n", res.name, res.clients, res.requests(), res.errors,
			res.rate(), ms(res.quantile(0.50)), ms(res.quantile(0.95)), ms(res.quantile(0.99)), ms(res.max()), cores)
	}
	fmt.Fprintf(out, "\nload average after: %s\n", loadAverage())
	for _, res := range results {
		for _, e := range res.samples {
			fmt.Fprintf(out, "error in %s: %s\n", res.name, e)
		}
	}
}

// writeProfile saves one of the runtime's named profiles.
func writeProfile(name, path string) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup(name).WriteTo(f, 0)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rosterload:", name, "profile:", err)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }
