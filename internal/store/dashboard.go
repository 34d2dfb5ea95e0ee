package store

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/org"
	"dangjian/internal/summary"
)

// The dashboard (数据驾驶舱): the key figures of a subtree for a year (up to
// today) with their change, the monthly trend of activities and 参学人次,
// each branch's (above the branches, each child's) compliance with the
// organisational-life rules and learning coverage. Every number and every
// bar links to the list behind it.

// dashboardCodes are the key figures, in the order of the cards.
// A code the catalogue lacks (its module not mounted) is left out.
var dashboardCodes = []string{"learning.events", "learning.person_times", "learning.coverage", "events.attendance", "people.members",
	"people.under35_share", "ledger.overdue", "ledger.closure_rate"}

// KeyFigure is one card of the dashboard.
type KeyFigure struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Text   string `json:"text"`
	Change string `json:"change"`
	Link   string `json:"link,omitempty"`
}

// MonthPoint is one month of the trend.
type MonthPoint struct {
	Label       string `json:"label"`
	Held        int    `json:"held"`
	PersonTimes int    `json:"person_times"`
	Link        string `json:"link"`
}

// ComplianceRow is one branch's compliance and coverage, or the branches
// of one child organisation added up: a province's dashboard shows its
// cities, each opening its own, rather than five thousand bars.
type ComplianceRow struct {
	OrgID         int64   `json:"org_id"`
	Name          string  `json:"name"`
	Branches      int     `json:"branches"` // 1 for a branch
	Judged        int     `json:"judged"`   // rule-periods that ended
	Met           int     `json:"met"`
	Compliance    float64 `json:"compliance"` // percent of Judged met, -1 when none
	Coverage      float64 `json:"coverage"`   // percent, -1 when unknown
	CoverageText  string  `json:"coverage_text"`
	CalendarLink  string  `json:"calendar_link"`
	FiguresLink   string  `json:"figures_link"`
	DashboardLink string  `json:"dashboard_link,omitempty"` // the child's own dashboard; empty for a branch
}

// Dashboard is the dashboard of an organisation's subtree for a period.
type Dashboard struct {
	OrgID   int64            `json:"org_id"`
	OrgName string           `json:"org_name"`
	Year    int              `json:"year"`
	Period  indicator.Period `json:"-"`
	Key     []KeyFigure      `json:"key"`
	Months  []MonthPoint     `json:"months"`
	// Rows: each branch directly under the organisation (or itself), and
	// the branches of each other child together (ByChild).
	Rows    []ComplianceRow `json:"rows"`
	ByChild bool            `json:"by_child"`
}

// FiguresLink is the events' figures page of a subtree for days from–to.
func FiguresLink(orgID int64, from, to date.Date) string {
	q := url.Values{"org": {strconv.FormatInt(orgID, 10)}, "from": {from.String()}, "to": {to.String()}}
	return "/events/figures?" + q.Encode()
}

// Dashboard computes the dashboard of the subtree of orgID (inside the
// scope) for a year, up to today when it is this year. Every figure reads
// the subtree's records for the year once.
func (s *Store) Dashboard(ctx context.Context, sc auth.Scope, cat *indicator.Catalogue, orgID int64, year int, today date.Date) (*Dashboard, error) {
	o, err := s.Org(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	p := indicator.Year(year)
	if p.To.After(today) {
		p = indicator.Period{From: p.From, To: today, Label: fmt.Sprintf("%d年（截至%d月%d日）", year, int(today.Month()), today.Day())}
	}
	sub := auth.Scope{OrgPath: o.Path}
	span := spanOf(p)
	ctx = WithFigureCache(ctx)
	d := &Dashboard{OrgID: o.ID, OrgName: o.Name, Year: year, Period: p, Key: []KeyFigure{}, Months: []MonthPoint{}, Rows: []ComplianceRow{}}
	var codes []string
	for _, code := range dashboardCodes {
		if _, ok := cat.Lookup(code); ok {
			codes = append(codes, code)
		}
	}
	// The key figures, the calendar and the coverage read different
	// records: read them at once.
	var (
		figs     []summary.Figure
		yearIn   event.FigureInput
		cal      *CalendarData
		coverage map[int64]event.Ratio
		rows     rowHeads
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		if figs, err = computeFigures(gctx, cat, codes, sub, p); err != nil {
			return err
		}
		// The trend splits the year's input, which the key figures have read.
		yearIn, err = s.eventTallies(gctx, sub, 0, span)
		return err
	})
	// The subtree's organisations, read once for the calendar and the rows.
	g.Go(func() error {
		all, err := s.Orgs(gctx, sub, OrgFilter{IncludeClosed: true})
		if err != nil {
			return err
		}
		rows = rowHeadsOf(o, all)
		g.Go(func() (err error) { // beside the coverage: Wait waits for it too
			cal, err = s.complianceData(gctx, sub, all, func(event.Rule) date.Date { return span.Start }, span.End, today)
			return err
		})
		coverage, err = s.LearningCoverageBySubtree(gctx, sub, rows.heads, span)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, f := range figs {
		k := KeyFigure{Code: f.Code, Name: f.Name, Text: f.Text, Change: f.Change}
		if in, _ := cat.Lookup(codes[i]); in.Drill != nil {
			k.Link = in.Drill(sc, o.ID, p)
		}
		d.Key = append(d.Key, k)
	}
	for _, m := range event.ByMonth(yearIn) {
		to := m.Start.AddDate(0, 1, -1)
		if to.After(p.To) {
			to = p.To
		}
		d.Months = append(d.Months, MonthPoint{Label: fmt.Sprintf("%d月", int(m.Start.Month())), Held: m.Held, PersonTimes: m.PersonTimes,
			Link: FiguresLink(o.ID, m.Start, to)})
	}
	// Each organisation's rule-periods that ended, met or missed: one pass
	// over the subtree's checks, not one per branch.
	type tally struct{ judged, met int }
	judged := map[int64]tally{}
	for ch := range event.Compliance(cal.Orgs, cal.Rules, cal.Held, span.Start, span.End, today) {
		if ch.State == event.Met || ch.State == event.Missed {
			t := judged[ch.OrgID]
			t.judged++
			if ch.State == event.Met {
				t.met++
			}
			judged[ch.OrgID] = t
		}
	}
	cov, _ := cat.Lookup("learning.coverage")
	for _, h := range rows.heads {
		row := ComplianceRow{OrgID: h.ID, Name: h.Name, Compliance: -1, Coverage: -1,
			CalendarLink: "/events?org=" + strconv.FormatInt(h.ID, 10), FiguresLink: FiguresLink(h.ID, p.From, p.To)}
		if h.Kind != org.Branch {
			row.DashboardLink = "/dashboard?" + url.Values{"org": {strconv.FormatInt(h.ID, 10)}, "year": {strconv.Itoa(year)}}.Encode()
			d.ByChild = true
		}
		for _, b := range rows.branches[h.ID] {
			t := judged[b]
			row.Branches++
			row.Judged += t.judged
			row.Met += t.met
		}
		if row.Judged > 0 {
			row.Compliance = math.Round(float64(row.Met)/float64(row.Judged)*1000) / 10
		}
		if cov.Compute != nil {
			v := indicator.Ratio(float64(coverage[h.ID].Num), float64(coverage[h.ID].Den))
			row.CoverageText = cov.Format(v)
			if v.Known {
				row.Coverage = math.Round(v.Value*10) / 10
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

// rowHeads are the organisations the dashboard has a row for, in tree
// order, with the open branches each adds up: the branches directly under
// the organisation (or itself, a branch), and each other child holding
// branches.
type rowHeads struct {
	heads    []org.Org
	branches map[int64][]int64 // by head
}

// rowHeadsOf finds the rows of o's dashboard among all, the organisations
// of its subtree.
func rowHeadsOf(o *org.Org, all []org.Org) rowHeads {
	at := make(map[string]org.Org, len(all))
	for _, x := range all {
		at[x.Path] = x
	}
	r := rowHeads{branches: map[int64][]int64{}}
	for _, b := range all {
		if b.Kind != org.Branch || !b.ClosedOn.IsZero() {
			continue
		}
		h, ok := at[childPath(o.Path, b.Path)]
		if !ok {
			continue
		}
		if _, seen := r.branches[h.ID]; !seen {
			r.heads = append(r.heads, h)
		}
		r.branches[h.ID] = append(r.branches[h.ID], b.ID)
	}
	return r
}

// childPath is the path of the child of the organisation at top whose
// subtree holds path (path itself when it is top).
func childPath(top, path string) string {
	rest := strings.TrimPrefix(path, top)
	if rest == "" || rest == path {
		return path
	}
	return top + rest[:strings.IndexByte(rest, '/')+1]
}
