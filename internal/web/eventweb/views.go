package eventweb

import (
	"fmt"
	"strconv"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/web"
)

// eventOut is an event as the API answers it.
type eventOut struct {
	ID           int64                `json:"id"`
	OrgID        int64                `json:"org_id"`
	OrgName      string               `json:"org_name"`
	KindID       int64                `json:"kind_id"`
	KindName     string               `json:"kind_name"`
	AlsoKinds    []int64              `json:"also_kinds"`
	Title        string               `json:"title"`
	Status       event.Status         `json:"status"`
	StatusLabel  string               `json:"status_label"`
	PlannedStart time.Time            `json:"planned_start"`
	PlannedEnd   time.Time            `json:"planned_end"`
	HeldStart    web.Time             `json:"held_start"`
	HeldEnd      web.Time             `json:"held_end"`
	HeldOn       date.Date            `json:"held_on"`
	Days         []date.Date          `json:"days"`
	Place        string               `json:"place"`
	Host         string               `json:"host"`
	Recorder     string               `json:"recorder"`
	Topics       string               `json:"topics"`
	Minutes      string               `json:"minutes"`
	CancelReason string               `json:"cancel_reason"`
	Audience     event.Audience       `json:"audience"`
	Credit       event.Hours          `json:"credit"` // 学时 a day, as a decimal text: "2.5"
	CampaignID   int64                `json:"campaign_id"`
	WalkIns      bool                 `json:"walk_ins"`
	QRStep       int                  `json:"qr_step"`
	QRMargin     int                  `json:"qr_margin"`
	Speakers     []event.Speaker      `json:"speakers"`
	Decisions    []string             `json:"decisions"`
	Measures     []event.MeasureValue `json:"measures"`
	Invitees     []int64              `json:"invitees,omitempty"`
	Frozen       bool                 `json:"frozen"` // the expected list has been taken from the roster
	Version      int64                `json:"version"`
	CreatedAt    time.Time            `json:"created_at"`
	UpdatedAt    time.Time            `json:"updated_at"`
}

func newEventOut(e *event.Event) eventOut {
	out := eventOut{ID: e.ID, OrgID: e.OrgID, OrgName: e.OrgName, KindID: e.KindID, KindName: e.KindName, AlsoKinds: orEmpty(e.AlsoKinds),
		Title: e.Title, Status: e.Status, StatusLabel: msg.Text("event_status." + string(e.Status)), PlannedStart: e.PlannedStart,
		PlannedEnd: e.PlannedEnd, HeldStart: web.Time{Time: e.HeldStart}, HeldEnd: web.Time{Time: e.HeldEnd}, HeldOn: e.HeldOn, Days: e.Days(),
		Place: e.Place, Host: e.Host, Recorder: e.Recorder, Topics: e.Topics, Minutes: e.Minutes, CancelReason: e.CancelReason,
		Audience: e.Audience, Credit: e.Credit, CampaignID: e.CampaignID, WalkIns: e.WalkIns, QRStep: e.QRStep, QRMargin: e.QRMargin,
		Speakers: orEmpty(e.Speakers), Decisions: []string{}, Measures: orEmpty(e.Measures), Frozen: !e.FrozenAt.IsZero(),
		Version: e.Version, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	for _, d := range e.Decisions {
		out.Decisions = append(out.Decisions, d.Content)
	}
	return out
}

func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// kindOut is a kind as the API answers it.
type kindOut struct {
	ID               int64           `json:"id"`
	Code             string          `json:"code"`
	Name             string          `json:"name"`
	Category         event.Category  `json:"category"`
	Audience         event.Audience  `json:"audience"`
	TakesAttendance  bool            `json:"takes_attendance"`
	CountsAsLearning bool            `json:"counts_as_learning"`
	Credit           event.Hours     `json:"credit"`
	AllowsMakeup     bool            `json:"allows_makeup"`
	RecordsDecisions bool            `json:"records_decisions"`
	NeedsQuorum      bool            `json:"needs_quorum"`
	SortOrder        int             `json:"sort_order"`
	Disabled         bool            `json:"disabled"`
	Measures         []event.Measure `json:"measures"`
	Version          int64           `json:"version"`
}

func newKindOut(k *event.Kind) kindOut {
	return kindOut{ID: k.ID, Code: k.Code, Name: k.Name, Category: k.Category, Audience: k.Audience, TakesAttendance: k.TakesAttendance,
		CountsAsLearning: k.CountsAsLearning, Credit: k.Credit, AllowsMakeup: k.AllowsMakeup, RecordsDecisions: k.RecordsDecisions,
		NeedsQuorum: k.NeedsQuorum, SortOrder: k.SortOrder, Disabled: k.Disabled, Measures: orEmpty(k.Measures), Version: k.Version}
}

// ruleOut is a compliance rule as the API answers it.
type ruleOut struct {
	event.Rule
	PeriodLabel string `json:"period_label"`
}

// China is where the clock on the wall is.
var China = event.China

// clock is a moment as people read it: "2026-06-30 09:00".
func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(China).Format("2006-01-02 15:04")
}

// inputTime is a moment as a datetime-local field holds it.
func inputTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(China).Format("2006-01-02T15:04")
}

// parseTime reads a moment typed in China time ("2026-06-30T09:00",
// "2026-06-30 09:00") or sent with its zone (RFC 3339).
func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, China); err == nil {
			return t, true
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// periodLabel names a span the way a summary does: 2026年6月, 2026年二季度, 2026年.
func periodLabel(p event.Period, s event.Span) string {
	switch p {
	case event.Monthly:
		return fmt.Sprintf("%d年%d月", s.Start.Year(), int(s.Start.Month()))
	case event.Quarterly:
		return strconv.Itoa(s.Start.Year()) + "年" + msg.Text("event.quarter."+strconv.Itoa(event.Quarter(s.Start)))
	}
	return strconv.Itoa(s.Start.Year()) + "年"
}

// shortPeriod is periodLabel without the year, as a summary of one year writes it.
func shortPeriod(p event.Period, s event.Span) string {
	switch p {
	case event.Monthly:
		return fmt.Sprintf("%d月", int(s.Start.Month()))
	case event.Quarterly:
		return msg.Text("event.quarter." + strconv.Itoa(event.Quarter(s.Start)))
	}
	return "全年"
}

// problem is the sentence a work summary's 存在的问题 uses for a missed
// check: "第三党支部二季度未召开支部党员大会".
func problem(c event.Check) string {
	when := shortPeriod(c.Rule.Period, c.Span)
	switch {
	case c.Rule.BySecretary:
		return msg.Format("event.problem.secretary", c.OrgName, when)
	case c.Held == 0:
		return msg.Format("event.problem.missed", c.OrgName, when, c.Rule.KindName)
	}
	return msg.Format("event.problem.missed_some", c.OrgName, when, c.Rule.KindName, c.Held, c.Required)
}

// percent writes a ratio as "99%" ("—" with nothing to divide by).
func percent(r event.Ratio) string {
	if r.Den == 0 {
		return "—"
	}
	return strconv.FormatFloat(r.Value()*100, 'f', 1, 64) + "%"
}
