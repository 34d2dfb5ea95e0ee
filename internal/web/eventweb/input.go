package eventweb

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/web"
)

// form is a request's fields and which were sent at all: an update changes
// only those (PATCH), and a JSON body's empty list ("also_kinds": []) counts
// as sent, though it carries no value.
type form struct {
	web.Input
	sent map[string]bool
}

// readForm reads a form or JSON body (or a GET's query).
func readForm(r *http.Request) (form, error) {
	f := form{sent: map[string]bool{}}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return f, err
		}
		var keys map[string]json.RawMessage
		if json.Unmarshal(body, &keys) == nil {
			for k := range keys {
				f.sent[k] = true
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return f, err
	}
	f.Input = in
	for k := range in.Values {
		f.sent[k] = true
		if i := indexDot(k); i > 0 {
			f.sent[k[:i]] = true
		}
	}
	return f, nil
}

func indexDot(s string) int {
	for i := range len(s) {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

// has reports whether a field was sent.
func (f form) has(name string) bool { return f.sent[name] }

// ids reads a list of identifiers; a bad one is a problem of the field.
func (f form) ids(name string, v *errs.Invalid) []int64 {
	var out []int64
	for _, s := range f.Values[name] {
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			v.Add(name, "number.format")
			continue
		}
		out = append(out, n)
	}
	return out
}

// applyEvent fills e from the request. On create (patch false) every field
// is read; on an update only those sent. It returns the chosen people when
// they were sent.
func applyEvent(f form, e *event.Event, patch bool, v *errs.Invalid) (invitees []int64, setInvitees bool) {
	want := func(name string) bool { return !patch || f.has(name) }
	text := func(name string, dst *string) {
		if want(name) {
			*dst = f.Str(name)
		}
	}
	if !patch {
		e.OrgID = f.ID("org_id", v)
	}
	if want("kind_id") {
		e.KindID = f.ID("kind_id", v)
	}
	if want("also_kinds") {
		e.AlsoKinds = f.ids("also_kinds", v)
	}
	text("title", &e.Title)
	text("place", &e.Place)
	text("host", &e.Host)
	text("recorder", &e.Recorder)
	text("topics", &e.Topics)
	text("minutes", &e.Minutes)
	text("cancel_reason", &e.CancelReason)
	if want("status") {
		e.Status = event.Status(f.Str("status"))
	}
	if want("audience") {
		e.Audience = event.Audience(f.Str("audience"))
	}
	for name, dst := range map[string]*time.Time{"planned_start": &e.PlannedStart, "planned_end": &e.PlannedEnd,
		"held_start": &e.HeldStart, "held_end": &e.HeldEnd} {
		if !want(name) {
			continue
		}
		t, ok := parseTime(f.Str(name))
		if !ok {
			v.Add(name, "event.datetime_format")
			continue
		}
		*dst = t
	}
	if e.Status == event.Held && e.HeldStart.IsZero() && e.HeldEnd.IsZero() {
		e.HeldStart, e.HeldEnd = e.PlannedStart, e.PlannedEnd // held as planned
	}
	if e.Status != event.Held && (!patch || f.has("status")) && !f.has("held_start") {
		e.HeldStart, e.HeldEnd = time.Time{}, time.Time{}
	}
	if want("credit") {
		if h, ok := event.ParseHours(f.Str("credit")); ok {
			e.Credit = h
		} else {
			v.Add("credit", "event.hours_format")
		}
	}
	if want("campaign_id") {
		e.CampaignID = f.ID("campaign_id", v)
	}
	if want("walk_ins") {
		e.WalkIns = f.Flag("walk_ins")
	}
	if want("qr_step") {
		e.QRStep = number(f, "qr_step", v)
	}
	if want("qr_margin") {
		e.QRMargin = number(f, "qr_margin", v)
	}
	if want("speakers") {
		e.Speakers = speakers(f, v)
	}
	if want("decisions") {
		e.Decisions = nil
		for _, c := range append(f.Values["decisions"], f.Values["decisions.content"]...) {
			if c != "" {
				e.Decisions = append(e.Decisions, event.Decision{Content: c})
			}
		}
	}
	if want("measures") {
		e.Measures = measures(f, v)
	}
	if f.has("invitees") {
		return f.ids("invitees", v), true
	}
	return nil, false
}

// number reads a whole number; empty is 0 (the default).
func number(f form, name string, v *errs.Invalid) int {
	s := f.Str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Add(name, "number.format")
	}
	return n
}

// rows reads parallel lists (speakers.name, speakers.title …) as rows; lists
// of different lengths cannot be lined up and are refused.
func rows(f form, prefix string, cols []string, v *errs.Invalid) [][]string {
	n := 0
	for _, c := range cols {
		n = max(n, len(f.Values[prefix+"."+c]))
	}
	var out [][]string
	for i := range n {
		row := make([]string, len(cols))
		blank := true
		for j, c := range cols {
			vals := f.Values[prefix+"."+c]
			if len(vals) > 0 && len(vals) != n {
				v.Add(prefix, "event.rows_misaligned")
				return nil
			}
			if i < len(vals) {
				row[j] = vals[i]
				if row[j] != "" {
					blank = false
				}
			}
		}
		if !blank {
			out = append(out, row)
		}
	}
	return out
}

func speakers(f form, v *errs.Invalid) []event.Speaker {
	var out []event.Speaker
	for _, r := range rows(f, "speakers", []string{"person_id", "name", "title", "topic"}, v) {
		sp := event.Speaker{Name: r[1], Title: r[2], Topic: r[3]}
		if r[0] != "" {
			id, err := strconv.ParseInt(r[0], 10, 64)
			if err != nil || id < 0 {
				v.Add("speakers", "number.format")
			}
			sp.PersonID = id
		}
		out = append(out, sp)
	}
	return out
}

func measures(f form, v *errs.Invalid) []event.MeasureValue {
	var out []event.MeasureValue
	for _, r := range rows(f, "measures", []string{"measure_id", "value"}, v) {
		if r[1] == "" {
			continue
		}
		id, err1 := strconv.ParseInt(r[0], 10, 64)
		val, err2 := strconv.ParseFloat(r[1], 64)
		if err1 != nil || err2 != nil {
			v.Add("measures", "event.measure_format")
			continue
		}
		out = append(out, event.MeasureValue{MeasureID: id, Value: val})
	}
	return out
}
