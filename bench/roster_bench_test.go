package bench

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/store"
)

// BenchmarkRosterStore measures the roster query alone: store.People for one
// page (20 people, with the total) of the first branch's subtree, about 31,000
// of 100,000 people, on SQLite — the first page, page 50 by number (OFFSET),
// and the pages on either side of it by the cursors its pager offers.
//
//	go test -run '^$' -bench RosterStore -benchtime 3s ./bench/
//
// The database is built once, by this parent benchmark, before its
// sub-benchmarks run: Go runs a benchmark that has sub-benchmarks exactly
// once, even with -count, so the build (a minute or two) is not repeated and
// b.TempDir removes the database afterwards. Set DANGJIAN_BENCH_DATA_DIR to
// keep it in (or reuse it from) a directory, e.g. one rosterload -keep made.
// Nothing of this runs in `go test ./...`: benchmarks run only with -bench.
func BenchmarkRosterStore(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 100,000-person database")
	}
	ctx := context.Background()
	dir := os.Getenv("DANGJIAN_BENCH_DATA_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	today := date.FromTime(time.Now())
	start := time.Now()
	r, err := Fill(ctx, st, 100_000, today, 2026, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("database ready in %s: %d current people, subtree %s %d people", time.Since(start).Round(time.Second), r.People, r.Branch.Name, r.Subtree)

	branch := auth.Scope{OrgPath: r.Branch.Path}  // 支部书记 branch1
	committee := auth.Scope{OrgPath: r.Root.Path} // 机关党委, narrowed with OrgID
	for _, c := range []struct {
		name  string
		scope auth.Scope
		org   int64
	}{
		{"branch-scope", branch, 0},
		{"committee-org", committee, r.Branch.ID},
	} {
		f := store.PersonFilter{OrgID: c.org, Today: today, Limit: 20}
		// The cursors around page 50, as its pager offers them.
		at50 := f
		at50.Offset = 49 * 20
		p50 := checkPage(b, st, c.scope, at50, r.Subtree)
		for _, v := range []struct {
			name string
			f    func(store.PersonFilter) store.PersonFilter
		}{
			{"page=1", func(f store.PersonFilter) store.PersonFilter { return f }},
			{"page=50/by-number", func(f store.PersonFilter) store.PersonFilter { f.Offset = 49 * 20; return f }},
			{"page=51/next", func(f store.PersonFilter) store.PersonFilter { f.After = p50.Next; return f }},
			{"page=49/previous", func(f store.PersonFilter) store.PersonFilter { f.Before = p50.Prev; return f }},
		} {
			b.Run(c.name+"/"+v.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					checkPage(b, st, c.scope, v.f(f), r.Subtree)
				}
			})
		}
	}
	// The load program's walk, from as many goroutines as GOMAXPROCS: to the
	// next page by its cursor, one time in ten a jump to a page 1…50 by
	// number, half in the branch's scope, half through the committee's.
	b.Run("walk/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			rng := rand.New(rand.NewPCG(rand.Uint64(), 0))
			f := store.PersonFilter{Today: today, Limit: 20}
			sc := branch
			if rng.IntN(2) == 0 {
				sc, f.OrgID = committee, r.Branch.ID
			}
			var next string
			for pb.Next() {
				g := f
				if next == "" || rng.IntN(10) == 0 {
					g.Offset = rng.IntN(50) * 20
				} else {
					g.After = next
				}
				next = checkPage(b, st, sc, g, r.Subtree).Next
			}
		})
	})
}

// checkPage lists one page and fails the benchmark unless it is a full page
// with the subtree's total: a fast wrong answer measures nothing.
func checkPage(b *testing.B, st *store.Store, sc auth.Scope, f store.PersonFilter, total int) store.PersonPage {
	page, err := st.People(context.Background(), sc, f)
	if err != nil {
		b.Fatal(err)
	}
	if page.Total != total || len(page.Items) != f.Limit {
		b.Fatalf("total %d with %d items, want %d with %d", page.Total, len(page.Items), total, f.Limit)
	}
	return page
}
