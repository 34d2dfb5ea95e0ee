package eventweb

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/web"
)

// FuzzCalendarQuery feeds arbitrary query strings to the calendar's period
// parser: it never panics, and a query it accepts names a period that ends
// after it starts.
func FuzzCalendarQuery(f *testing.F) {
	for _, seed := range []string{"month=2026-06", "quarter=2026-Q2", "quarter=2026-Q9", "month=0000-13&org=-1", "org=abc", ""} {
		f.Add(seed)
	}
	today := date.MustParse("2026-06-30")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var v errs.Invalid
		cq := parseCalendar(web.Input{Values: q}, today, &v)
		if v.Err() == nil && !cq.Span.Start.IsZero() && !cq.Span.Start.Before(cq.Span.End) {
			t.Fatalf("accepted %q as %+v", raw, cq.Span)
		}
	})
}

// FuzzFiguresQuery does the same for the figures' span: accepted spans run
// forwards and are at most five years long.
func FuzzFiguresQuery(f *testing.F) {
	for _, seed := range []string{"from=2026-01-01&to=2026-06-30", "from=2030-01-01&to=2020-01-01", "from=1900-01-01&to=2026-01-01", "page=-1&org=0", "to=2026-02-30"} {
		f.Add(seed)
	}
	today := date.MustParse("2026-06-30")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var v errs.Invalid
		fq, span := parseFigures(web.Input{Values: q}, today, &v)
		if fq.Page < 1 {
			t.Fatalf("page %d", fq.Page)
		}
		if v.Err() == nil && (!span.Start.Before(span.End) || span.Start.AddDate(5, 0, 1).Before(span.End)) {
			t.Fatalf("accepted %q as %+v", raw, span)
		}
	})
}

// FuzzEventForm feeds arbitrary bodies, as a form or as JSON, to the event
// form's reader: it never panics, and an event it reads without a problem
// passes the domain's own checks of what it read.
func FuzzEventForm(f *testing.F) {
	f.Add("application/json", `{"org_id":1,"kind":"branch_meeting","topic":"学习","planned_start":"2026-06-01T09:00","planned_end":"2026-06-01T11:00","invitees":[1,2]}`)
	f.Add("application/json", `{"speakers":[{"name":"张伟","title":"书记"}],"decisions":["a"],"measures":[{"key":"x","value":"-1"}]}`)
	f.Add("application/x-www-form-urlencoded", "org_id=1&topic=%E5%AD%A6&planned_start=2026-13-01T25:00&invitees=abc&speakers.name=x")
	f.Add("application/json", `{"org_id":[1,2],"topic":{"a":1}}`)
	f.Fuzz(func(t *testing.T, ct, body string) {
		r := httptest.NewRequest("POST", "/events", strings.NewReader(body))
		r.Header.Set("Content-Type", ct)
		fm, err := readForm(r)
		if err != nil {
			return
		}
		var v errs.Invalid
		e := &event.Event{}
		applyEvent(fm, e, false, &v)
		applyEvent(fm, e, true, &v)
	})
}
