// Command importload measures a large roster import on SQLite the way an
// office meets it: a 50,000-row .xlsx imported through roster.Import (what
// the page and the API run) while another user keeps saving a person.
//
//	go run ./bench/importload                 # 50,000 rows
//	go run ./bench/importload -rows 20000
//	go run ./bench/importload -attacks        # the uploads of issue item 5 instead
//
// It prints the import's total time, how long its checks and its writing
// took, the peak Go heap and the peak resident memory during the import, and
// what the other user saw: the latency of each save (store.UpdatePerson,
// issued back to back) while the import ran. SQLite has one writer, so the
// longest save is how long the import held it. bench/RESULTS.md records the
// numbers.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/demo"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/roster"
	"dangjian/internal/store"
	"dangjian/internal/xlsx/xlsxtest"
)

type options struct {
	rows    int
	dataDir string
	keep    bool
	seed    int64
	pause   time.Duration
	cpuProf string
	attacks bool
}

func main() {
	var o options
	fs := flag.NewFlagSet("importload", flag.ExitOnError)
	fs.IntVar(&o.rows, "rows", 50_000, "people in the imported file")
	fs.StringVar(&o.dataDir, "data-dir", "", "database directory; empty means a fresh temporary one")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary database directory")
	fs.Int64Var(&o.seed, "seed", 2026, "seed of the generated people")
	fs.DurationVar(&o.pause, "pause", 5*time.Millisecond, "the other user's pause between two saves")
	fs.StringVar(&o.cpuProf, "cpuprofile", "", "write a CPU profile of the import to this file")
	fs.BoolVar(&o.attacks, "attacks", false, "import the uploads of issue item 5 and report what refusing each cost")
	fs.Parse(os.Args[1:])

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "importload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, out io.Writer) (err error) {
	if o.rows < 1 || o.rows > roster.MaxRows {
		return fmt.Errorf("need 1 ≤ -rows ≤ %d", roster.MaxRows)
	}
	dir := o.dataDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "dangjian-importload-*"); err != nil {
			return err
		}
		if o.keep {
			defer fmt.Fprintf(out, "database kept in %s\n", dir)
		} else {
			defer os.RemoveAll(dir)
		}
	}
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	today := date.FromTime(time.Now())
	if _, err := demo.Load(ctx, st, today, o.seed); err != nil {
		return err
	}
	w, err := newWorld(ctx, st)
	if err != nil {
		return err
	}
	if o.attacks {
		return attacks(ctx, st, w, out)
	}
	data, err := w.file(ctx, st, o.rows, today, o.seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "file: %d rows, %.1f MB\n", o.rows, float64(len(data))/(1<<20))

	// The other user: one branch secretary saving one person over and over.
	saver := &saver{st: st, scope: auth.Scope{OrgPath: w.root.Path}, id: w.probe, pause: o.pause}
	if err := saver.save(ctx); err != nil { // warm up, and prove it works
		return fmt.Errorf("the other user's save: %w", err)
	}

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	resetPeakRSS()
	peak := sampleHeap()
	stopSaving := make(chan struct{})
	saving := make(chan struct{})
	go func() { defer close(saving); saver.run(stopSaving) }()

	if o.cpuProf != "" {
		f, err := os.Create(o.cpuProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var checked atomic.Int64 // when the checks ended, as UnixNano
	cpu0 := processCPU()
	start := time.Now()
	rep, err := roster.Import(ctx, st, audit.Actor{Username: "importload", IP: "127.0.0.1"}, auth.Scope{OrgPath: w.root.Path},
		bytes.NewReader(data), func(done, total int) {
			if done*2 >= total && checked.Load() == 0 {
				checked.Store(time.Now().UnixNano())
			}
		})
	end := time.Now()
	cpu := processCPU() - cpu0
	close(stopSaving)
	<-saving
	heap := peak()
	if err != nil {
		return err
	}
	if rep.Rejected() || rep.Imported != o.rows {
		return fmt.Errorf("imported %d of %d: %+v", rep.Imported, o.rows, rep.Problems[:min(5, len(rep.Problems))])
	}
	checks := time.Unix(0, checked.Load()).Sub(start)
	fmt.Fprintf(out, "import: %d people in %s (read and check %s, then resolve and write %s)\n",
		rep.Imported, end.Sub(start).Round(time.Millisecond), checks.Round(time.Millisecond), (end.Sub(start) - checks).Round(time.Millisecond))
	fmt.Fprintf(out, "CPU: %s of this process's time (the import and the other user), machine load %s\n", cpu.Round(time.Millisecond), loadAverage())
	fmt.Fprintf(out, "memory: peak Go heap %.0f MB (%.0f MB before), peak RSS %s, %.0f MB allocated in all\n",
		float64(heap)/(1<<20), float64(base.HeapAlloc)/(1<<20), peakRSS(), float64(totalAlloc()-base.TotalAlloc)/(1<<20))
	saver.report(out, start, end)
	return nil
}

// world is what the file and the other user need of the demo database.
type world struct {
	root     org.Org   // the 机关党委: the importer's scope
	branches []org.Org // where the file's people go
	units    []org.Org
	probe    int64 // the person the other user saves
}

func newWorld(ctx context.Context, st *store.Store) (*world, error) {
	var w world
	orgs, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Committee, org.Branch, org.Unit}})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		switch {
		case o.Kind == org.Committee && w.root.ID == 0:
			w.root = o
		case o.Kind == org.Branch:
			w.branches = append(w.branches, o)
		case o.Kind == org.Unit:
			w.units = append(w.units, o)
		}
	}
	if w.root.ID == 0 || len(w.branches) == 0 || len(w.units) == 0 {
		return nil, errors.New("the demo database holds no 机关党委 with branches and units")
	}
	page, err := st.People(ctx, auth.Scope{OrgPath: w.root.Path}, store.PersonFilter{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		return nil, fmt.Errorf("no person to save: %v", err)
	}
	w.probe = page.Items[0].ID
	return &w, nil
}

// file is an .xlsx roster of n generated people, as roster.Export writes one
// (and as offices fill in the template), none of them on the roster yet.
func (w *world) file(ctx context.Context, st *store.Store, n int, today date.Date, seed int64) ([]byte, error) {
	list := demo.People(rand.New(rand.NewPCG(uint64(seed), 7)), w.branches, w.units, n+n/50+10, today)
	ids := make([]string, len(list))
	for i := range list {
		list[i].Normalize()
		ids[i] = list[i].IDNumber
	}
	taken, err := st.IDNumbersTaken(ctx, ids)
	if err != nil {
		return nil, err
	}
	name := map[int64]string{}
	for _, o := range append(append([]org.Org{}, w.branches...), w.units...) {
		name[o.ID] = o.Name
	}
	rows := make([]store.PersonRow, 0, n)
	for i := range list {
		p := list[i]
		if taken[p.IDNumber] || len(rows) == n {
			continue
		}
		if p.Status == people.Masses { // 群众 staff are listed under a branch too
			p.OrgID = w.branches[len(rows)%len(w.branches)].ID
		}
		rows = append(rows, store.PersonRow{Person: p, OrgName: name[p.OrgID], UnitName: name[p.UnitID]})
	}
	if len(rows) < n {
		return nil, fmt.Errorf("only %d of %d generated people have a free ID number", len(rows), n)
	}
	var buf bytes.Buffer
	if err := roster.Export(&buf, rows, true, nil); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// saver is the other user.
type saver struct {
	st    *store.Store
	scope auth.Scope
	id    int64
	pause time.Duration
	n     int

	mu    sync.Mutex
	saves []save
}

type save struct{ start, end time.Time }

func (s *saver) save(ctx context.Context) error {
	p, err := s.st.Person(ctx, s.scope, s.id)
	if err != nil {
		return err
	}
	s.n++
	p.Position = "科员" + strconv.Itoa(s.n%10)
	return s.st.UpdatePerson(ctx, audit.Actor{Username: "branch1", IP: "127.0.0.2"}, s.scope, &p.Person)
}

// run saves until stop is closed. A save under way when it is closed is
// finished, not cancelled: the one that waited for the import's writer is
// the one that matters.
func (s *saver) run(stop <-chan struct{}) {
	for {
		start := time.Now()
		if err := s.save(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "importload: the other user's save failed:", err)
			return
		}
		s.mu.Lock()
		s.saves = append(s.saves, save{start, time.Now()})
		s.mu.Unlock()
		select {
		case <-stop:
			return
		case <-time.After(s.pause):
		}
	}
}

// report prints the saves that began while the import ran.
func (s *saver) report(out io.Writer, from, to time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lat []time.Duration
	for _, sv := range s.saves {
		if !sv.start.Before(from) && sv.start.Before(to) {
			lat = append(lat, sv.end.Sub(sv.start))
		}
	}
	if len(lat) == 0 {
		fmt.Fprintln(out, "the other user: no save began during the import")
		return
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Fprintf(out, "the other user: %d saves during the import; latency p50 %s, p95 %s, p99 %s, max %s (the longest the import held the writer)\n",
		len(lat), q(0.50).Round(10*time.Microsecond), q(0.95).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond),
		lat[len(lat)-1].Round(time.Millisecond))
}

// sampleHeap watches the live heap every few milliseconds until the returned
// function is called, which returns the highest value seen.
func sampleHeap() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); <-stopped; return peak.Load() }
}

func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// resetPeakRSS starts the kernel's resident-memory high-water mark afresh
// (Linux), so peakRSS covers the import only, not building the file.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's resident-memory high-water mark (Linux VmHWM).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err == nil {
				return fmt.Sprintf("%.0f MB", float64(kb)/1024)
			}
		}
	}
	return "unknown"
}

// attacks imports each upload of issue item 5 and prints what refusing it
// cost: the time, the bytes allocated, the peak heap, and the message.
func attacks(ctx context.Context, st *store.Store, w *world, out io.Writer) error {
	for _, a := range []struct {
		name string
		data func() []byte
	}{
		{"one cell of 150 MB", func() []byte { return xlsxtest.HugeCell(150 << 20) }},
		{"60,000 merged ranges", func() []byte { return xlsxtest.MergedRanges(60_000) }},
		{"1 GiB zip bomb", func() []byte { return xlsxtest.ZipBomb(1 << 30) }},
		{"190 MB of nothing under the unpacked limit", func() []byte { return xlsxtest.ZipBomb(190 << 20) }},
		{"30,000,000 empty rows without numbers", func() []byte { return xlsxtest.RowlessRows(30_000_000) }},
		{"3,000,001 formatted blank cells", func() []byte { return xlsxtest.BlankCells(3_000_001) }},
	} {
		data := a.data()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		peak := sampleHeap()
		start := time.Now()
		rep, err := roster.Import(ctx, st, audit.Actor{Username: "importload", IP: "127.0.0.1"}, auth.Scope{OrgPath: w.root.Path},
			bytes.NewReader(data), nil)
		took := time.Since(start)
		heap := peak()
		if err != nil {
			return err
		}
		said := "imported"
		if rep.Rejected() {
			said = rep.Problems[0].Key + " " + rep.Problems[0].Text
		}
		fmt.Fprintf(out, "%s (%d KB): %s, %.0f MB allocated, peak heap %.0f MB: %.120s\n", a.name, len(data)>>10, took.Round(time.Millisecond),
			float64(totalAlloc()-before.TotalAlloc)/(1<<20), float64(heap)/(1<<20), said)
	}
	return nil
}
