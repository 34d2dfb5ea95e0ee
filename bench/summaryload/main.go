// Command summaryload measures the work summary on a database filled by
// `dangjian gen`: the summary of the whole province for a year, of one
// branch, each beside a bare SQL query computing the same headline figures
// (活动次数, 参学人次) in the same run, and the dashboard of both, so the cost of the engine shows
// apart from the cost of reading the records. It prints a Markdown table
// row per measurement for bench/RESULTS.md.
//
//	go run ./bench/summaryload --data-dir /tmp/sqlite100k --year 2026
//	go run ./bench/summaryload --database-url postgres://postgres@127.0.0.1:5432/gen100k --year 2026
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/org"
	"dangjian/internal/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "summaryload:", err)
		os.Exit(1)
	}
}

func run() error {
	dataDir := flag.String("data-dir", "", "SQLite data directory written by dangjian gen")
	dbURL := flag.String("database-url", "", "PostgreSQL database written by dangjian gen")
	year := flag.Int("year", time.Now().Year(), "the year summarised")
	runs := flag.Int("runs", 5, "runs of each measurement (the median is reported)")
	cpu := flag.String("cpuprofile", "", "write a CPU profile of the first target measured (the province unless --what branch) to this file")
	what := flag.String("what", "province,branch,dashboard", "what to measure, comma-separated: province, branch (their year's summary), dashboard (both dashboards), calendar (the province's compliance calendar of two years), due (the province's 工作台 list of organisational life), month (the province's calendar page of December)")
	flag.Parse()
	ctx := context.Background()
	cfg := config.Config{DataDir: *dataDir, DatabaseURL: *dbURL}
	keys, err := app.DataKeys(cfg)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, store.Config{DataDir: *dataDir, DatabaseURL: *dbURL, Keys: keys})
	if err != nil {
		return err
	}
	defer st.Close()
	cat, err := app.Catalogue(st)
	if err != nil {
		return err
	}
	tpls, err := st.SummaryTemplates(ctx)
	if err != nil || len(tpls) == 0 {
		return fmt.Errorf("no summary template (%v)", err)
	}
	committees, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Committee}})
	if err != nil || len(committees) == 0 {
		return fmt.Errorf("no province in the database (%v): run dangjian gen first", err)
	}
	province := committees[0]
	branches, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Branch}})
	if err != nil || len(branches) == 0 {
		return fmt.Errorf("no branch (%v)", err)
	}
	branch := branches[len(branches)/2]
	people, err := st.People(ctx, auth.Everything, store.PersonFilter{Limit: 1})
	if err != nil {
		return err
	}
	db, dialect, err := openBare(*dataDir, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	p := indicator.Year(*year)
	fmt.Printf("<!-- %s, %d people, %d branches, year %d, load average %s -->\n", dialect, people.Total, len(branches), *year, loadavg())
	profiled := false
	fmt.Println("| database | people | what | platform (median) | bare SQL (median) | platform 参学人次 | bare 参学人次 |")
	fmt.Println("|---|---|---|---|---|---|---|")
	summarise := func(o org.Org) (string, error) {
		m, err := st.GenerateSummary(ctx, audit.System, auth.Everything, cat, store.SummaryRequest{OrgID: o.ID, Period: p, TemplateID: tpls[0].ID})
		if err != nil {
			return "", err
		}
		pt, _ := m.Figure("learning.person_times")
		return pt.Text, nil
	}
	dashboard := func(o org.Org) (string, error) {
		d, err := st.Dashboard(ctx, auth.Everything, cat, o.ID, *year, p.To)
		if err != nil {
			return "", err
		}
		for _, k := range d.Key {
			if k.Code == "learning.person_times" {
				return k.Text, nil
			}
		}
		return "", nil
	}
	// judge is what the calendar page and a committee's 工作台 compute of
	// the organisations' life: every rule judged from its first day,
	// from(rule), to the year's end; the periods missed, and the
	// organisations idle for longer than allowed.
	judge := func(o org.Org, from func(event.Rule) date.Date) (string, error) {
		to := p.To.AddDate(0, 0, 1)
		d, err := st.EventCalendarFrom(ctx, auth.Everything, o.ID, from, to, p.To)
		if err != nil {
			return "", err
		}
		missed := 0
		for c := range event.ComplianceFrom(d.Orgs, d.Rules, d.Held, from, to, p.To) {
			if c.State == event.Missed {
				missed++
			}
		}
		return fmt.Sprintf("%d项未达标，%d个超期", missed, len(event.Idleness(d.Orgs, d.Rules, d.LastByPath, p.To))), nil
	}
	// Every rule over this year and the last: what the calendar page and
	// the 工作台 computed before each rule was read from its own first day.
	calendar := func(o org.Org) (string, error) {
		return judge(o, func(event.Rule) date.Date { return indicator.Year(*year - 1).From })
	}
	// The 工作台's list: each rule's current period and its last ended one.
	due := func(o org.Org) (string, error) { return judge(o, event.SinceLastEnded(p.To)) }
	// The calendar page of the year's last month: each rule over its period
	// holding the month.
	month := func(o org.Org) (string, error) {
		first := date.Of(*year, time.December, 1)
		return judge(o, func(r event.Rule) date.Date { return event.PeriodOf(r.Period, first).Start })
	}
	for _, target := range []struct {
		what, name string
		o          org.Org
		run        func(org.Org) (string, error)
	}{{"province", "全省年度总结", province, summarise}, {"branch", "一个支部年度总结", branch, summarise},
		{"dashboard", "全省数据驾驶舱（全年）", province, dashboard}, {"dashboard", "一个支部数据驾驶舱（全年）", branch, dashboard},
		{"calendar", "全省组织生活日历（两年）", province, calendar}, {"due", "全省工作台待办（组织生活）", province, due},
		{"month", "全省组织生活日历（12月）", province, month}} {
		if !slices.Contains(strings.Split(*what, ","), target.what) {
			continue
		}
		var prof *os.File
		if *cpu != "" && !profiled { // the first target measured
			profiled = true
			if prof, err = os.Create(*cpu); err != nil {
				return err
			}
			pprof.StartCPUProfile(prof)
		}
		var plat, bare []time.Duration
		var pf, bf string
		for range *runs {
			start := time.Now()
			if pf, err = target.run(target.o); err != nil {
				return err
			}
			plat = append(plat, time.Since(start))
			start = time.Now()
			_, t, err := bareFigures(ctx, db, dialect, target.o.Path, p)
			if err != nil {
				return err
			}
			bare = append(bare, time.Since(start))
			bf = fmt.Sprintf("%d人次", t)
		}
		if prof != nil {
			pprof.StopCPUProfile()
			prof.Close()
		}
		fmt.Printf("| %s | %d | %s | %s | %s | %s | %s |\n", dialect, people.Total, target.name, median(plat), median(bare), pf, bf)
	}
	return nil
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2].Round(time.Millisecond / 10)
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}

func openBare(dataDir, url string) (*sql.DB, string, error) {
	if url != "" {
		db, err := sql.Open("pgx", url)
		return db, "postgres", err
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "dangjian.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	return db, "sqlite", err
}

// bareFigures is the headline figures in two plain statements: the held
// events of the subtree in the period, and the present marks at those that
// count as learning (the definition of learning.person_times).
func bareFigures(ctx context.Context, db *sql.DB, dialect, path string, p indicator.Period) (held, personTimes int, err error) {
	lo, hi := auth.Scope{OrgPath: path}.PathRange()
	from, to := p.From.String(), p.To.AddDate(0, 0, 1).String()
	q1 := `SELECT COUNT(*) FROM events e WHERE e.status = 'held' AND e.org_path >= ? AND e.org_path < ? AND e.held_on >= ? AND e.held_on < ?`
	q2 := `SELECT COUNT(*) FROM event_attendance a JOIN events e ON e.id = a.event_id
		WHERE e.status = 'held' AND e.org_path >= ? AND e.org_path < ? AND e.held_on >= ? AND e.held_on < ? AND a.mark = 'present'
		AND EXISTS (SELECT 1 FROM event_kind_links l JOIN event_kinds k ON k.id = l.kind_id WHERE l.event_id = e.id AND k.counts_as_learning)`
	if dialect == "postgres" {
		q1, q2 = numbered(q1), numbered(q2)
		from, to = from+"", to+""
	}
	if err = db.QueryRowContext(ctx, q1, lo, hi, from, to).Scan(&held); err != nil {
		return
	}
	err = db.QueryRowContext(ctx, q2, lo, hi, from, to).Scan(&personTimes)
	return
}

func numbered(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
