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

var fuzzToday = date.MustParse("2026-06-30")

// FuzzCalendarQuery: any address typed for the calendar is refused in words
// or names a month or quarter whose links lead to the periods beside it;
// only the first and the last of the calendar's years lack one.
func FuzzCalendarQuery(f *testing.F) {
	for _, seed := range []string{"month=2026-06", "quarter=2026-Q2", "month=2026-13", "quarter=2026-Q5&org=3", "month=0000-01", "quarter=9999-Q4", "quarter=9998-Q4", "month=1900-01", "org=-1", "month=2026-06&month=2026-07", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var v errs.Invalid
		q := parseCalendar(web.Input{Values: vals}, fuzzToday, &v)
		if v.Err() != nil {
			return
		}
		if q.OrgID < 0 || !q.Span.Start.Before(q.Span.End) || q.Label == "" {
			t.Fatalf("%q: %+v", raw, q)
		}
		for _, link := range []string{q.Prev, q.Next} {
			if link == "" {
				if y := q.Span.Start.Year(); y != 1900 && y != 9998 {
					t.Fatalf("%q: no link to a period beside %s", raw, q.Label)
				}
				continue
			}
			lv, err := url.ParseQuery(link)
			if err != nil {
				t.Fatalf("%q: link %q: %v", raw, link, err)
			}
			var lerr errs.Invalid
			next := parseCalendar(web.Input{Values: lv}, fuzzToday, &lerr)
			if lerr.Err() != nil || next.Span == q.Span {
				t.Fatalf("%q: the link %q leads to %+v (%v)", raw, link, next.Span, lerr.Err())
			}
		}
	})
}

// FuzzFiguresQuery: any address typed for the figures is refused in words
// or names a range that starts before it ends and spans at most five years.
func FuzzFiguresQuery(f *testing.F) {
	for _, seed := range []string{"from=2026-01-01&to=2026-06-30", "from=2026-07-01&to=2026-06-30", "from=1900-01-01", "page=-3", "page=99999999999999999999", "to=2026-02-30", "org=x", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var v errs.Invalid
		q, span := parseFigures(web.Input{Values: vals}, fuzzToday, &v)
		if v.Err() != nil {
			return
		}
		if q.OrgID < 0 || q.Page < 1 || !span.Start.Before(span.End) || span.Start.AddDate(5, 0, 1).Before(span.End) {
			t.Fatalf("%q: %+v %+v", raw, q, span)
		}
	})
}

// FuzzEventForm: any form posted to create or edit an event is read
// without a panic, and an event the form and the rules accept is within
// the rules' bounds: a title, an end after its start, a QR step and margin
// in range.
func FuzzEventForm(f *testing.F) {
	for _, seed := range []string{"org_id=2&kind_id=3&title=支部党员大会&planned_start=2026-07-01T09:00&planned_end=2026-07-01T11:00",
		"speakers.0.name=张三&speakers.0.title=教授&measures.0.id=1&measures.0.value=3", "invitees=1&invitees=x&qr_step=-5&qr_margin=99999999999",
		"days.0=2026-07-01&decisions.0.text=决定", "version=1&status=held", "audience=chosen&walk_ins=on", "qr_step=-1"} {
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, body string, patch bool) {
		r := httptest.NewRequest("POST", "/events", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		fm, err := readForm(r)
		if err != nil {
			return
		}
		var v errs.Invalid
		var e event.Event
		applyEvent(fm, &e, patch, &v)
		if v.Err() != nil {
			return
		}
		kind := &event.Kind{ID: e.KindID, Name: "支部党员大会", Audience: event.Everyone, RecordsDecisions: true}
		measures := map[int64]event.Measure{}
		for _, m := range e.Measures {
			measures[m.MeasureID] = event.Measure{ID: m.MeasureID}
		}
		e.Normalize(kind)
		if e.Validate(kind, measures) != nil {
			return
		}
		if e.Title == "" || !e.PlannedEnd.After(e.PlannedStart) || e.QRStep < 10 || e.QRStep > 600 || e.QRMargin < 0 || e.QRMargin > 720 {
			t.Fatalf("%q: accepted %+v", body, e)
		}
	})
}
