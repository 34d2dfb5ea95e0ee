package eventweb

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// The calendar of an organisation: its events (and its subtree's) in a
// month or a quarter, and how each organisation stands against the rules in
// the periods of that span: met, due this month, missed.

var (
	monthRe   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRe = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
)

// calendarQuery is the calendar's address: an organisation and a month or a quarter.
type calendarQuery struct {
	OrgID   int64
	Month   string // 2026-06
	Quarter string // 2026-Q2
	Span    event.Span
	Label   string
	Prev    string // the query of the period before and after
	Next    string
}

func parseCalendar(in web.Input, today date.Date, v *errs.Invalid) calendarQuery {
	q := calendarQuery{OrgID: in.ID("org", v), Month: in.Str("month"), Quarter: in.Str("quarter")}
	switch {
	case q.Quarter != "":
		m := quarterRe.FindStringSubmatch(q.Quarter)
		if m == nil {
			v.Add("quarter", "event.quarter_format")
			return q
		}
		y, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		if !calendarYear(y) {
			v.Add("quarter", "event.quarter_format")
			return q
		}
		q.Span = event.PeriodOf(event.Quarterly, date.Of(y, time.Month(3*n-2), 1))
		q.Label = periodLabel(event.Quarterly, q.Span)
		quarter := func(d date.Date) string {
			return "quarter=" + strconv.Itoa(d.Year()) + "-Q" + strconv.Itoa(event.Quarter(d))
		}
		q.Prev, q.Next = beside(q.Span.Start.AddDate(0, -3, 0), quarter), beside(q.Span.End, quarter)
		return q
	case q.Month != "":
		m := monthRe.FindStringSubmatch(q.Month)
		mo := 0
		if m != nil {
			mo, _ = strconv.Atoi(m[2])
		}
		y := 0
		if m != nil {
			y, _ = strconv.Atoi(m[1])
		}
		if m == nil || mo < 1 || mo > 12 || !calendarYear(y) {
			v.Add("month", "event.month_format")
			return q
		}
		q.Span = event.PeriodOf(event.Monthly, date.Of(y, time.Month(mo), 1))
	default:
		q.Span = event.PeriodOf(event.Monthly, today)
		q.Month = q.Span.Start.Time().Format("2006-01")
	}
	q.Label = periodLabel(event.Monthly, q.Span)
	month := func(d date.Date) string { return "month=" + d.Time().Format("2006-01") }
	q.Prev, q.Next = beside(q.Span.Start.AddDate(0, -1, 0), month), beside(q.Span.End, month)
	return q
}

// calendarYear keeps the calendar among four-digit years.
func calendarYear(y int) bool { return y >= 1900 && y <= 9998 }

// beside is the query of the period that starts on d, or "" (no link) when
// that period is outside the calendar's years: 9998年12月 has no 下一期.
func beside(d date.Date, query func(date.Date) string) string {
	if !calendarYear(d.Year()) {
		return ""
	}
	return query(d)
}

// dayEvents are the events of one day of the calendar.
type dayEvents struct {
	Day    date.Date
	Events []event.Event
}

// checkView is a compliance check as the calendar shows it.
type checkView struct {
	event.Check
	Period  string
	Problem string // the sentence a summary would write, when missed
}

// calendarData is the calendar of a query, for the page and the API.
type calendarData struct {
	Org     *org.Org
	Events  []event.Event
	Checks  []checkView
	Idle    []event.IdleOrg
	QROn    bool
	Missing int
}

func (s *area) calendarData(ctx context.Context, c *web.Call, q calendarQuery) (*calendarData, error) {
	orgID := q.OrgID
	if orgID == 0 {
		orgID = c.User.OrgID
	}
	o, err := s.st.Org(ctx, c.Scope, orgID)
	if err != nil {
		return nil, err
	}
	d := &calendarData{Org: o}
	page, err := s.st.Events(ctx, c.Scope, store.EventFilter{OrgID: o.ID, From: chinaMidnight(q.Span.Start), To: chinaMidnight(q.Span.End), Limit: 1000})
	if err != nil {
		return nil, err
	}
	d.Events = page.Items
	sort.SliceStable(d.Events, func(i, j int) bool { return d.Events[i].Start().Before(d.Events[j].Start()) })
	today := s.Today()
	// Judge each rule's periods that overlap the span (a quarter's rule
	// shown in one of its months): each from the start of its period
	// holding the span's first day to the end of the span.
	from := func(r event.Rule) date.Date { return event.PeriodOf(r.Period, q.Span.Start).Start }
	data, err := s.st.EventCalendarFrom(ctx, c.Scope, o.ID, from, q.Span.End, today)
	if err != nil {
		return nil, err
	}
	for ch := range event.ComplianceFrom(data.Orgs, data.Rules, data.Held, from, q.Span.End, today) {
		v := checkView{Check: ch, Period: periodLabel(ch.Rule.Period, ch.Span)}
		if ch.State == event.Missed {
			v.Problem = problem(ch)
			d.Missing++
		}
		d.Checks = append(d.Checks, v)
	}
	d.Idle = event.Idleness(data.Orgs, data.Rules, data.LastByPath, today)
	if d.QROn, err = s.st.QRSignInOn(ctx, c.Scope, o.ID); err != nil {
		return nil, err
	}
	return d, nil
}

type calendarPage struct {
	web.Layout
	Q        calendarQuery
	Data     *calendarData
	Days     []dayEvents
	Orgs     web.OrgTree
	CanWrite bool
	OrgValue string
}

func (s *area) calendarPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	var v errs.Invalid
	q := parseCalendar(web.Input{Values: r.URL.Query()}, s.Today(), &v)
	if err := v.Err(); err != nil {
		return err
	}
	d, err := s.calendarData(ctx, c, q)
	if err != nil {
		return err
	}
	p := calendarPage{Layout: s.Base(c, "组织生活", "/events"), Q: q, Data: d, CanWrite: canWrite(c), OrgValue: strconv.FormatInt(d.Org.ID, 10)}
	for _, e := range d.Events {
		day := date.FromTime(e.Start().In(China))
		if n := len(p.Days); n == 0 || p.Days[n-1].Day != day {
			p.Days = append(p.Days, dayEvents{Day: day})
		}
		p.Days[len(p.Days)-1].Events = append(p.Days[len(p.Days)-1].Events, e)
	}
	if p.Orgs, err = s.OrgTree(ctx, c, d.Org.ID, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
		return err
	}
	p.Notice = web.Notice(r)
	return s.Render(w, r, http.StatusOK, "events", p)
}

// calendarOut is the calendar as the API answers it.
type calendarOut struct {
	OrgID    int64           `json:"org_id"`
	OrgName  string          `json:"org_name"`
	From     date.Date       `json:"from"`
	To       date.Date       `json:"to"` // the first day after
	Events   []eventOut      `json:"events"`
	Checks   []checkOut      `json:"checks"`
	Idle     []event.IdleOrg `json:"idle"`
	QRSignIn bool            `json:"qr_signin"`
	Problems []string        `json:"problems"` // 存在的问题: a sentence per missed period
}

type checkOut struct {
	event.Check
	Period     string `json:"period"`
	StateLabel string `json:"state_label"`
}

func (s *area) apiCalendar(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	var v errs.Invalid
	q := parseCalendar(web.Input{Values: r.URL.Query()}, s.Today(), &v)
	if err := v.Err(); err != nil {
		return err
	}
	d, err := s.calendarData(r.Context(), c, q)
	if err != nil {
		return err
	}
	out := calendarOut{OrgID: d.Org.ID, OrgName: d.Org.Name, From: q.Span.Start, To: q.Span.End, Events: []eventOut{}, Checks: []checkOut{},
		Idle: orEmpty(d.Idle), QRSignIn: d.QROn, Problems: []string{}}
	for i := range d.Events {
		out.Events = append(out.Events, newEventOut(&d.Events[i]))
	}
	for _, ch := range d.Checks {
		out.Checks = append(out.Checks, checkOut{Check: ch.Check, Period: ch.Period, StateLabel: msg.Text("event_state." + string(ch.State))})
		if ch.Problem != "" {
			out.Problems = append(out.Problems, ch.Problem)
		}
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}
