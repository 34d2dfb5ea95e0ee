package gen_test

import (
	"context"
	"slices"
	"testing"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/gen"
	"dangjian/internal/indicator"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/summary"
)

// TestSummaryFiguresEqualOneByOne: a summary reads each subtree's records
// once (store.WithFigureCache) and every figure it keeps, with the year
// before, equals the indicator computed on its own from scratch, for the
// province and for a branch of a generated province, on both databases.
func TestSummaryFiguresEqualOneByOne(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		st := storetest.Open(t, d, nil)
		res, err := gen.Run(ctx, st, gen.Options{People: 200, Seed: 3, Years: 2, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		cat, err := app.Catalogue(st)
		if err != nil {
			t.Fatal(err)
		}
		tpls, err := st.SummaryTemplates(ctx)
		if err != nil || len(tpls) == 0 {
			t.Fatalf("templates: %v", err)
		}
		branches, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Branch}})
		if err != nil || len(branches) == 0 {
			t.Fatalf("branches: %v", err)
		}
		p := indicator.HalfYear(2026, 1)
		for _, o := range []org.Org{res.Province, branches[3]} {
			m, err := st.GenerateSummary(ctx, audit.System, auth.Everything, cat, store.SummaryRequest{OrgID: o.ID, Period: p, TemplateID: tpls[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			if f, ok := m.Figure("learning.person_times"); !ok || f.Now.Value == 0 {
				t.Errorf("%s: the summary has no 参学人次 (%+v)", o.Name, f)
			}
			for _, got := range m.Figures {
				one, err := cat.Figure(ctx, got.Code, auth.Scope{OrgPath: o.Path}, p)
				if err != nil {
					t.Fatal(err)
				}
				if want := summary.FromIndicator(one); got != want {
					t.Errorf("%s %s: the summary keeps %+v, computed alone %+v", o.Name, got.Code, got, want)
				}
			}
		}
		// The coverage of the dashboard's rows (branches, or the
		// province's cities) and of the 学习覆盖率偏低 rule's branches, read
		// in one grouped query, equals the indicator of each subtree alone;
		// and the dashboard's months, split from the year's input, equal
		// each month read on its own.
		cov, _ := cat.Lookup("learning.coverage")
		year := indicator.Year(2026)
		year.To = today
		span := event.Span{Start: year.From, End: year.To.AddDate(0, 0, 1)}
		committees, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Committee}})
		if err != nil {
			t.Fatal(err)
		}
		// The province's children, a row each on its dashboard, and theirs.
		var cities, counties []org.Org
		for _, c := range committees {
			if c.ParentID == res.Province.ID {
				cities = append(cities, c)
			}
		}
		for _, c := range committees {
			if slices.ContainsFunc(cities, func(city org.Org) bool { return city.ID == c.ParentID }) {
				counties = append(counties, c)
			}
		}
		for _, heads := range [][]org.Org{branches, cities, counties} {
			bySubtree, err := st.LearningCoverageBySubtree(ctx, auth.Scope{OrgPath: res.Province.Path}, heads, span)
			if err != nil {
				t.Fatal(err)
			}
			covered := 0
			for _, h := range heads {
				want, err := cov.Compute(ctx, auth.Scope{OrgPath: h.Path}, year)
				if err != nil {
					t.Fatal(err)
				}
				r := bySubtree[h.ID]
				if got := indicator.Ratio(float64(r.Num), float64(r.Den)); got != want {
					t.Errorf("%s: grouped coverage %v (%d/%d), alone %v", h.Name, got, r.Num, r.Den, want)
				}
				if r.Den > 0 {
					covered++
				}
			}
			if covered == 0 {
				t.Errorf("none of %d organisations has learning events in %s: nothing compared", len(heads), year.Label)
			}
		}
		yearIn, err := st.EventFigureInput(ctx, auth.Everything, res.Province.ID, span)
		if err != nil {
			t.Fatal(err)
		}
		months := event.ByMonth(yearIn)
		if len(months) != int(today.Month()) {
			t.Errorf("%d months up to %s", len(months), today)
		}
		for _, m := range months {
			in, err := st.EventFigureInput(ctx, auth.Everything, res.Province.ID, event.Span{Start: m.Start, End: m.Start.AddDate(0, 1, 0)})
			if err != nil {
				t.Fatal(err)
			}
			if f := event.Compute(in); f.Held != m.Held || f.PersonTimes != m.PersonTimes || f.Held == 0 {
				t.Errorf("%s: month read alone %d held / %d人次, split from the year %d / %d", m.Start, f.Held, f.PersonTimes, m.Held, m.PersonTimes)
			}
		}
	})
}
