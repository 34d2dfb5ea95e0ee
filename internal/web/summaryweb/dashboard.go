package summaryweb

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// The dashboard (数据驾驶舱): the key figures of a subtree for a year (up to
// today) with their change, the monthly trend of activities and 参学人次,
// each branch's compliance with the organisational-life rules and its
// learning coverage. Every number and every bar links to the list behind it.

// dashboardCodes are the key figures, in the order of the cards.
// A code the catalogue lacks (its module not mounted) is left out.
var dashboardCodes = []string{"learning.events", "learning.person_times", "learning.coverage", "events.attendance", "people.members",
	"people.under35_share", "ledger.overdue", "ledger.closure_rate"}

type keyFigure struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Text   string `json:"text"`
	Change string `json:"change"`
	Link   string `json:"link,omitempty"`
}

type monthPoint struct {
	Label       string `json:"label"`
	Held        int    `json:"held"`
	PersonTimes int    `json:"person_times"`
	Link        string `json:"link"`
}

type branchRow struct {
	OrgID        int64   `json:"org_id"`
	Name         string  `json:"name"`
	Judged       int     `json:"judged"` // rule-periods that ended
	Met          int     `json:"met"`
	Compliance   float64 `json:"compliance"` // percent of Judged met, -1 when none
	Coverage     float64 `json:"coverage"`   // percent, -1 when unknown
	CoverageText string  `json:"coverage_text"`
	CalendarLink string  `json:"calendar_link"`
	FiguresLink  string  `json:"figures_link"`
}

type dashboard struct {
	OrgID    int64        `json:"org_id"`
	OrgName  string       `json:"org_name"`
	Year     int          `json:"year"`
	Period   periodOut    `json:"period"`
	Key      []keyFigure  `json:"key"`
	Months   []monthPoint `json:"months"`
	Branches []branchRow  `json:"branches"`
}

func figuresLink(orgID int64, from, to date.Date) string {
	q := url.Values{"org": {strconv.FormatInt(orgID, 10)}, "from": {from.String()}, "to": {to.String()}}
	return "/events/figures?" + q.Encode()
}

func (s *area) dashboardData(ctx context.Context, c *web.Call, in web.Input) (*dashboard, error) {
	if s.catErr != nil {
		return nil, s.catErr
	}
	var v errs.Invalid
	orgID := in.ID("org", &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if orgID == 0 {
		orgID = c.User.OrgID
	}
	o, err := s.st.Org(ctx, c.Scope, orgID)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	year := in.Num("year", today.Year())
	if year < 2000 || year > today.Year() {
		year = today.Year()
	}
	p := indicator.Year(year)
	if p.To.After(today) {
		p = indicator.Period{From: p.From, To: today, Label: fmt.Sprintf("%d年（截至%d月%d日）", year, int(today.Month()), today.Day())}
	}
	sub := auth.Scope{OrgPath: o.Path}
	span := event.Span{Start: p.From, End: p.To.AddDate(0, 0, 1)}
	// Every figure below reads the subtree's records for the year once.
	ctx = store.WithFigureCache(ctx)
	d := &dashboard{OrgID: o.ID, OrgName: o.Name, Year: year, Period: periodOf(p), Key: []keyFigure{}, Months: []monthPoint{}, Branches: []branchRow{}}
	for _, code := range dashboardCodes {
		if _, ok := s.cat.Lookup(code); !ok {
			continue
		}
		f, err := s.cat.Figure(ctx, code, sub, p)
		if err != nil {
			return nil, err
		}
		k := keyFigure{Code: code, Name: f.Name, Text: f.Text, Change: f.ChangeText}
		if f.Drill != nil {
			k.Link = f.Drill(c.Scope, o.ID, p)
		}
		d.Key = append(d.Key, k)
	}
	// The trend splits the year's input, which the key figures have read.
	yearIn, err := s.st.EventFigureInput(ctx, sub, 0, span)
	if err != nil {
		return nil, err
	}
	for _, m := range event.ByMonth(yearIn) {
		to := m.Start.AddDate(0, 1, -1)
		if to.After(p.To) {
			to = p.To
		}
		d.Months = append(d.Months, monthPoint{Label: fmt.Sprintf("%d月", int(m.Start.Month())), Held: m.Held, PersonTimes: m.PersonTimes,
			Link: figuresLink(o.ID, m.Start, to)})
	}
	cal, err := s.st.EventCalendarData(ctx, c.Scope, o.ID, p.From, p.To.AddDate(0, 0, 1), today)
	if err != nil {
		return nil, err
	}
	checks := event.Compliance(cal.Orgs, cal.Rules, cal.Held, p.From, p.To.AddDate(0, 0, 1), today)
	branches, err := s.st.Orgs(ctx, sub, store.OrgFilter{Kinds: []org.Kind{org.Branch}})
	if err != nil {
		return nil, err
	}
	cov, _ := s.cat.Lookup("learning.coverage")
	coverage, err := s.st.LearningCoverageByBranch(ctx, sub, span)
	if err != nil {
		return nil, err
	}
	for _, b := range branches {
		row := branchRow{OrgID: b.ID, Name: b.Name, Compliance: -1, Coverage: -1,
			CalendarLink: "/events?org=" + strconv.FormatInt(b.ID, 10), FiguresLink: figuresLink(b.ID, p.From, p.To)}
		for _, ch := range checks {
			if ch.OrgID != b.ID || (ch.State != event.Met && ch.State != event.Missed) {
				continue
			}
			row.Judged++
			if ch.State == event.Met {
				row.Met++
			}
		}
		if row.Judged > 0 {
			row.Compliance = math.Round(float64(row.Met)/float64(row.Judged)*1000) / 10
		}
		if cov.Compute != nil {
			r := coverage[b.ID]
			v := indicator.Ratio(float64(r.Num), float64(r.Den))
			row.CoverageText = cov.Format(v)
			if v.Known {
				row.Coverage = math.Round(v.Value*10) / 10
			}
		}
		d.Branches = append(d.Branches, row)
	}
	return d, nil
}

type dashboardPage struct {
	web.Layout
	D    *dashboard
	JSON template.JS // the charts' data, read by dashboard.js
	Orgs []web.Option
}

func (s *area) dashboardPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	d, err := s.dashboardData(r.Context(), c, web.Input{Values: r.URL.Query()})
	if err != nil {
		return err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	orgs, err := s.st.Orgs(r.Context(), c.Scope, store.OrgFilter{Kinds: []org.Kind{org.Committee, org.GeneralBranch, org.Branch}})
	if err != nil {
		return err
	}
	p := dashboardPage{Layout: s.Base(c, "数据驾驶舱", "/dashboard"), D: d, JSON: template.JS(b), Orgs: web.OrgOptions(orgs)}
	return s.Render(w, r, http.StatusOK, "dashboard", p)
}

func (s *area) apiDashboard(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	d, err := s.dashboardData(r.Context(), c, web.Input{Values: r.URL.Query()})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}
