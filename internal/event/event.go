package event

import (
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// China is the time zone events happen in; storage is UTC. An event's days,
// its held date and its sign-in window are read in it.
var China = time.FixedZone("CST", 8*3600)

// Status is where an event stands.
type Status string

const (
	Planned   Status = "planned"
	Held      Status = "held"
	Cancelled Status = "cancelled"
)

// Statuses in display order.
var Statuses = []Status{Planned, Held, Cancelled}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return oneOf(s, Statuses) }

// Event is one meeting, session, activity, talk or visit.
type Event struct {
	ID      int64
	OrgID   int64  // the organisation that holds it; its subtree is the scope
	OrgPath string // filled on read
	OrgName string // filled on read
	KindID  int64  // the primary kind: who is expected, attendance, make-up, decisions
	// AlsoKinds are further kinds the event counts as (a 支部党员大会 held as
	// the month's 主题党日): it counts once for each in the calendar and figures.
	AlsoKinds []int64
	KindName  string // filled on read

	Title        string
	Status       Status
	PlannedStart time.Time
	PlannedEnd   time.Time
	HeldStart    time.Time // zero until held
	HeldEnd      time.Time
	HeldOn       date.Date // the China date of HeldStart: the period it counts in

	Place, Host, Recorder string
	Topics                string // 议题
	Minutes               string // 会议记录
	CancelReason          string

	Audience Audience // from the kind unless the organiser chose otherwise
	Credit   Hours    // 学时 a day of attendance earns (learning events)
	// CampaignID is the campaign (专题教育) it belongs to; campaigns come
	// later, so it is a bare nullable reference for now.
	CampaignID int64
	WalkIns    bool // people not expected may sign in by QR (they are added)
	QRStep     int  // seconds a sign-in code lasts before the next one
	QRMargin   int  // minutes sign-in opens before the start and stays open after the end

	Speakers  []Speaker
	Decisions []Decision
	Measures  []MeasureValue

	FrozenAt  time.Time // when the expected list was taken from the roster; zero before
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Speaker gives a talk or a lecture at an event (授课人次 counts them): a
// member of the roster, or an invited outsider with their title.
type Speaker struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	Title    string `json:"title"` // 职务/职称 of an outsider: 市委党校教授
	Topic    string `json:"topic"`
}

// Decision is one 集体决策事项 an event decided.
type Decision struct {
	Content string `json:"content"`
}

// MeasureValue is what an event recorded for one of its kinds' measures.
type MeasureValue struct {
	MeasureID int64   `json:"measure_id"`
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	Value     float64 `json:"value"`
}

// Defaults of sign-in: a code lasts 30 seconds (with a grace of one step),
// and sign-in is open from 30 minutes before the start to 30 after the end.
const (
	DefaultQRStep   = 30
	DefaultQRMargin = 30
	MaxDays         = 31 // the longest event (a month-long 读书班 at most)
)

// Limits of an event's texts, in characters.
const (
	MaxTitle        = 100
	MaxPlace        = 100
	MaxPerson       = 40
	MaxTopics       = 2000
	MaxMinutes      = 20000
	MaxReason       = 200
	MaxSpeakerTitle = 60
	MaxSpeakerTopic = 100
	MaxDecision     = 500
	MaxSpeakers     = 50
	MaxDecisions    = 100
)

// Start is when the event began (held) or begins (planned).
func (e *Event) Start() time.Time {
	if !e.HeldStart.IsZero() {
		return e.HeldStart
	}
	return e.PlannedStart
}

// End is when the event ended or ends.
func (e *Event) End() time.Time {
	if !e.HeldEnd.IsZero() {
		return e.HeldEnd
	}
	return e.PlannedEnd
}

// Days are the calendar days the event spans in China: one for a meeting,
// five for a five-day 读书班. Attendance is taken per day.
func (e *Event) Days() []date.Date {
	return DaysBetween(e.Start(), e.End())
}

// DaysBetween lists the China dates from start to end inclusive (at most MaxDays).
func DaysBetween(start, end time.Time) []date.Date {
	first, last := date.FromTime(start.In(China)), date.FromTime(end.In(China))
	var out []date.Date
	for d := first; !d.After(last) && len(out) < MaxDays; d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// Kinds is the primary kind followed by the others, without repeats.
func (e *Event) Kinds() []int64 {
	out := []int64{e.KindID}
	for _, k := range e.AlsoKinds {
		if !oneOf(k, out) {
			out = append(out, k)
		}
	}
	return out
}

// Normalize trims the texts and fills the defaults a new event takes from
// its kind.
func (e *Event) Normalize(k *Kind) {
	for _, s := range []*string{&e.Title, &e.Place, &e.Host, &e.Recorder, &e.Topics, &e.Minutes, &e.CancelReason} {
		*s = strings.TrimSpace(*s)
	}
	if e.Title == "" && k != nil {
		e.Title = k.Name
	}
	if e.Audience == "" && k != nil {
		e.Audience = k.Audience
	}
	if e.ID == 0 && e.Credit == 0 && k != nil {
		e.Credit = k.Credit
	}
	if e.QRStep == 0 {
		e.QRStep = DefaultQRStep
	}
	if e.QRMargin == 0 {
		e.QRMargin = DefaultQRMargin
	}
	if e.Status == "" {
		e.Status = Planned
	}
	for i := range e.Speakers {
		sp := &e.Speakers[i]
		sp.Name, sp.Title, sp.Topic = strings.TrimSpace(sp.Name), strings.TrimSpace(sp.Title), strings.TrimSpace(sp.Topic)
	}
	for i := range e.Decisions {
		e.Decisions[i].Content = strings.TrimSpace(e.Decisions[i].Content)
	}
}

// Validate checks the event against its primary kind (k) and the measures
// its kinds record (measures, by ID).
func (e *Event) Validate(k *Kind, measures map[int64]Measure) error {
	var v errs.Invalid
	if e.OrgID == 0 {
		v.Add("org_id", "required")
	}
	if e.KindID == 0 || k == nil {
		v.Add("kind_id", "event.kind_unknown")
	} else if k.Disabled && e.ID == 0 {
		v.Add("kind_id", "event.kind_disabled")
	}
	checkText(&v, "title", e.Title, MaxTitle, "event.title_too_long", true)
	checkText(&v, "place", e.Place, MaxPlace, "event.place_too_long", false)
	checkText(&v, "host", e.Host, MaxPerson, "event.host_too_long", false)
	checkText(&v, "recorder", e.Recorder, MaxPerson, "event.recorder_too_long", false)
	checkText(&v, "topics", e.Topics, MaxTopics, "event.topics_too_long", false)
	checkText(&v, "minutes", e.Minutes, MaxMinutes, "event.minutes_too_long", false)
	checkText(&v, "cancel_reason", e.CancelReason, MaxReason, "event.reason_too_long", false)
	checkSpan(&v, "planned_start", "planned_end", e.PlannedStart, e.PlannedEnd)
	if !e.Status.Valid() {
		v.Add("status", "event.status_unknown")
	}
	switch e.Status {
	case Held:
		checkSpan(&v, "held_start", "held_end", e.HeldStart, e.HeldEnd)
	case Cancelled:
		if e.CancelReason == "" {
			v.Add("cancel_reason", "event.cancel_reason_required")
		}
	}
	if e.Status != Held && (!e.HeldStart.IsZero() || !e.HeldEnd.IsZero()) {
		v.Add("held_start", "event.held_only_when_held")
	}
	if !e.Audience.Valid() {
		v.Add("audience", "event.audience_unknown")
	}
	if e.Credit < 0 || e.Credit > 240 {
		v.Add("credit", "event.credit_range")
	}
	if e.QRStep < 10 || e.QRStep > 600 {
		v.Add("qr_step", "event.qr_step_range")
	}
	if e.QRMargin < 0 || e.QRMargin > 720 {
		v.Add("qr_margin", "event.qr_margin_range")
	}
	if len(e.Speakers) > MaxSpeakers {
		v.Add("speakers", "event.too_many_speakers")
	}
	for _, sp := range e.Speakers {
		checkText(&v, "speakers", sp.Name, MaxPerson, "event.speaker_name_too_long", sp.PersonID == 0)
		checkText(&v, "speakers", sp.Title, MaxSpeakerTitle, "event.speaker_title_too_long", false)
		checkText(&v, "speakers", sp.Topic, MaxSpeakerTopic, "event.speaker_topic_too_long", false)
	}
	if len(e.Decisions) > 0 && k != nil && !k.RecordsDecisions {
		v.Add("decisions", "event.no_decisions")
	}
	if len(e.Decisions) > MaxDecisions {
		v.Add("decisions", "event.too_many_decisions")
	}
	for _, d := range e.Decisions {
		checkText(&v, "decisions", d.Content, MaxDecision, "event.decision_too_long", true)
	}
	seen := map[int64]bool{}
	for _, m := range e.Measures {
		if _, ok := measures[m.MeasureID]; !ok || seen[m.MeasureID] {
			v.Add("measures", "event.measure_unknown")
		}
		if m.Value < 0 || m.Value > 1e12 {
			v.Add("measures", "event.measure_range")
		}
		seen[m.MeasureID] = true
	}
	return v.Err()
}

// checkSpan checks a start and an end: both given, the end after the start,
// at most MaxDays apart.
func checkSpan(v *errs.Invalid, startField, endField string, start, end time.Time) {
	switch {
	case start.IsZero():
		v.Add(startField, "event.time_required")
	case end.IsZero():
		v.Add(endField, "event.time_required")
	case !end.After(start):
		v.Add(endField, "event.end_before_start")
	case end.Sub(start) >= MaxDays*24*time.Hour:
		v.Add(endField, "event.too_long")
	}
}
