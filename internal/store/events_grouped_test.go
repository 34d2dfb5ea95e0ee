package store_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/gen"
	"dangjian/internal/indicator"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestGroupedFiguresEqualOneByOne: the figures of a generated province,
// read as tallies grouped by day, learning and credit in SQL, equal the
// figures of its events read and added up one by one, for the province,
// a county and several branches, over a year, a half, a month and days
// that cut through months (the spans that read learning_reach and those
// that read the marks); and so do the months of the dashboard's trend.
func TestGroupedFiguresEqualOneByOne(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		st := storetest.Open(t, d, nil)
		today := date.Of(2026, time.November, 27)
		res, err := gen.Run(ctx, st, gen.Options{People: 300, Seed: 5, Years: 2, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		// The generator writes its marks in bulk: the triggers kept up.
		if drift, err := st.TalliesDriftForTest(ctx); err != nil || len(drift) > 0 {
			t.Fatalf("the precomputed rows of a generated province drifted (%v):\n%s", err, strings.Join(drift, "\n"))
		}
		// Its people are imported in bulk too: their headcounts kept up.
		if drift, err := st.RosterDriftForTest(ctx, []date.Date{today, today.AddDate(-1, 0, 0), date.Of(2025, time.December, 31), date.Of(2026, time.June, 30)}); err != nil || len(drift) > 0 {
			t.Fatalf("roster_counts of a generated province drifted (%v):\n%s", err, strings.Join(drift, "\n"))
		}
		if n, err := st.LearningMismatchesForTest(ctx); err != nil || n != 0 {
			t.Fatalf("%d imported events whose learning flag differs from their kinds (%v)", n, err)
		}
		// A database that held the records before the events' totals
		// (migration 280) is filled by it alike.
		if err := st.MigrateAgainForTest(ctx, 280); err != nil {
			t.Fatal(err)
		}
		if drift, err := st.TalliesDriftForTest(ctx); err != nil || len(drift) > 0 {
			t.Fatalf("the precomputed rows filled by migration 280 drifted (%v):\n%s", err, strings.Join(drift, "\n"))
		}
		branches, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Branch}})
		if err != nil || len(branches) < 3 {
			t.Fatalf("branches: %d, %v", len(branches), err)
		}
		subtrees := []org.Org{res.Province, branches[0], branches[len(branches)/2], branches[len(branches)-1]}
		if parent, err := st.Org(ctx, auth.Everything, branches[0].ParentID); err == nil {
			subtrees = append(subtrees, *parent)
		}
		spans := []event.Span{
			{Start: date.Of(2026, time.January, 1), End: today.AddDate(0, 0, 1)},
			{Start: date.Of(2025, time.January, 1), End: date.Of(2025, time.July, 1)},
			{Start: date.Of(2026, time.March, 1), End: date.Of(2026, time.April, 1)},
			{Start: date.Of(2025, time.October, 17), End: date.Of(2026, time.February, 9)},
			{Start: date.Of(2025, time.January, 1), End: date.Of(2026, time.January, 1)},
			{Start: date.Of(2025, time.September, 1), End: date.Of(2026, time.January, 1)},
		}
		compared := 0
		for _, o := range subtrees {
			sub := auth.Scope{OrgPath: o.Path}
			for _, span := range spans {
				in, err := st.EventFigureInput(ctx, auth.Everything, o.ID, span)
				if err != nil {
					t.Fatal(err)
				}
				want, err := st.EventsOneByOneForTest(ctx, sub, span)
				if err != nil {
					t.Fatal(err)
				}
				got, one := event.Compute(in), event.Compute(want)
				if got.Held != one.Held || !maps.Equal(got.HeldByKind, one.HeldByKind) || got.LearningEvents != one.LearningEvents ||
					got.PersonTimes != one.PersonTimes || got.MadeUp != one.MadeUp || got.Coverage != one.Coverage ||
					got.Attendance != one.Attendance || got.Decisions != one.Decisions || got.SpeakerTimes != one.SpeakerTimes || got.Hours != one.Hours {
					t.Errorf("%s %s–%s: grouped %+v\none by one %+v", o.Name, span.Start, span.Last(), got, one)
				}
				if len(in.Tallies) > len(want.Tallies) {
					t.Errorf("%s %s: %d tallies for %d events", o.Name, span.Start, len(in.Tallies), len(want.Tallies))
				}
				gotMonths, wantMonths := event.ByMonth(in), event.ByMonth(want)
				for i := range wantMonths {
					if gotMonths[i] != wantMonths[i] {
						t.Errorf("%s month %s: grouped %+v, one by one %+v", o.Name, wantMonths[i].Start, gotMonths[i], wantMonths[i])
					}
				}
				if one.PersonTimes > 0 && one.SpeakerTimes >= 0 {
					compared++
				}
			}
		}
		if compared < len(spans)*2 {
			t.Errorf("only %d subtree-spans had 参学人次: the comparison proves little", compared)
		}

		// The province's dashboard shows its children, each row its
		// branches' periods added up (the same as the child's own
		// dashboard's rows, which opens from the row) and its subtree's
		// coverage, down to a committee whose rows are its branches.
		cat, err := indicator.NewCatalogue(st.EventIndicators())
		if err != nil {
			t.Fatal(err)
		}
		coverageOf := func(d *store.Dashboard) string {
			for _, k := range d.Key {
				if k.Code == "learning.coverage" {
					return k.Text
				}
			}
			t.Fatalf("%s's dashboard has no 学习覆盖率", d.OrgName)
			return ""
		}
		var descend func(o org.Org, depth int) store.ComplianceRow
		descend = func(o org.Org, depth int) store.ComplianceRow {
			t.Helper()
			d, err := st.Dashboard(ctx, auth.Everything, cat, o.ID, 2026, today)
			if err != nil {
				t.Fatal(err)
			}
			var sum store.ComplianceRow
			for _, row := range d.Rows {
				// Each row's coverage is its subtree's, as its own
				// dashboard (and figures page) shows it.
				own, err := st.Dashboard(ctx, auth.Everything, cat, row.OrgID, 2026, today)
				if err != nil {
					t.Fatal(err)
				}
				if row.CoverageText != coverageOf(own) {
					t.Errorf("%s's row %s: coverage %s, its own dashboard's %s", o.Name, row.Name, row.CoverageText, coverageOf(own))
				}
				if row.DashboardLink != "" {
					child, err := st.Org(ctx, auth.Everything, row.OrgID)
					if err != nil || child.ParentID != o.ID {
						t.Fatalf("%s's row %s is not its child: %+v %v", o.Name, row.Name, child, err)
					}
					if got := descend(*child, depth+1); got.Branches != row.Branches || got.Judged != row.Judged || got.Met != row.Met {
						t.Errorf("%s's row %s: %d branches, %d/%d met; its own dashboard adds up to %d, %d/%d",
							o.Name, row.Name, row.Branches, row.Met, row.Judged, got.Branches, got.Met, got.Judged)
					}
				} else if row.Branches != 1 {
					t.Errorf("%s's branch row %s counts %d branches", o.Name, row.Name, row.Branches)
				}
				sum.Branches += row.Branches
				sum.Judged += row.Judged
				sum.Met += row.Met
			}
			if depth == 0 && (!d.ByChild || sum.Branches != len(branches) || sum.Judged == 0 || sum.Met == 0) {
				t.Errorf("the province's dashboard: by child %v, %d branches of %d, %d/%d met", d.ByChild, sum.Branches, len(branches), sum.Met, sum.Judged)
			}
			return sum
		}
		descend(res.Province, 0)
	})
}

// TestPostgresJITOff: the store's connections run without PostgreSQL's JIT
// compiler, which spent more time compiling a province's figures than it
// saved running them.
func TestPostgresJITOff(t *testing.T) {
	st := storetest.Open(t, store.Postgres, nil)
	for range 3 { // several connections of the pool
		if v, err := st.SettingForTest(context.Background(), "jit"); err != nil || v != "off" {
			t.Fatalf("jit = %q, %v; want off", v, err)
		}
	}
}
