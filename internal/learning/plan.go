// Package learning is the study side of organisational life: study plans
// whose recurring schedules (每周四集中学习, 每周五业务课堂, 每日1小时自学)
// create the planned sessions as events of the learning kinds, the materials
// library (指定学习材料), the study notes and reflections members write
// online, and each person's 学时 for the year against the requirement.
//
// Sessions are events (package event): attendance, make-ups and the 学时
// they earn are kept there once. This package holds the types, validation
// (message keys) and the rules over plain data: recurrence and 学时.
package learning

import (
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// Repeat is how a schedule recurs.
type Repeat string

const (
	Daily    Repeat = "daily"    // every day, weekends included (每日1小时自学)
	Workdays Repeat = "workdays" // Monday to Friday
	Weekly   Repeat = "weekly"   // on one weekday (每周四集中学习)
	Monthly  Repeat = "monthly"  // on one day of the month; a shorter month uses its last day
)

// Repeats in display order.
var Repeats = []Repeat{Weekly, Monthly, Workdays, Daily}

// Valid reports whether r is a known repeat.
func (r Repeat) Valid() bool {
	for _, x := range Repeats {
		if x == r {
			return true
		}
	}
	return false
}

// Schedule is one recurring session of a plan: what kind of event it
// creates, when, and for how long.
type Schedule struct {
	ID       int64        `json:"id"`
	KindID   int64        `json:"kind_id"` // an event kind that counts as learning
	Title    string       `json:"title"`   // 周四集中学习
	Repeat   Repeat       `json:"repeat"`
	Weekday  time.Weekday `json:"weekday"`  // Weekly
	MonthDay int          `json:"monthday"` // Monthly: 1–31
	Start    string       `json:"start"`    // "15:00", China time
	Minutes  int          `json:"minutes"`  // how long a session lasts
	Place    string       `json:"place"`
}

// Plan is a study plan (学习计划) of an organisation for a span of days:
// its schedules create the sessions, its required readings are materials.
type Plan struct {
	ID          int64      `json:"id"`
	OrgID       int64      `json:"org_id"`
	OrgPath     string     `json:"-"`
	OrgName     string     `json:"org_name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	From        date.Date  `json:"from"`
	To          date.Date  `json:"to"` // inclusive
	Schedules   []Schedule `json:"schedules"`
	Readings    []Reading  `json:"readings"`
	Sessions    int        `json:"sessions"` // events created, filled on read
	Version     int64      `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Reading is a material a plan asks its people to read (指定学习材料).
type Reading struct {
	MaterialID int64  `json:"material_id"`
	Title      string `json:"title"` // filled on read
	Required   bool   `json:"required"`
}

// Limits of a plan.
const (
	MaxPlanTitle   = 100
	MaxDescription = 2000
	MaxSchedules   = 10
	MaxPlanDays    = 366 // a plan spans a year at most
	MaxSessions    = 800 // sessions one plan may create (a daily schedule over a year is 366)
	MaxMinutes     = 8 * 60
)

// Normalize trims the texts.
func (p *Plan) Normalize() {
	p.Title, p.Description = strings.TrimSpace(p.Title), strings.TrimSpace(p.Description)
	for i := range p.Schedules {
		s := &p.Schedules[i]
		s.Title, s.Start, s.Place = strings.TrimSpace(s.Title), strings.TrimSpace(s.Start), strings.TrimSpace(s.Place)
		if s.Minutes == 0 {
			s.Minutes = 60
		}
		if s.Start == "" {
			s.Start = "09:00"
		}
	}
}

// Validate checks a plan; learningKind says whether an event kind counts as
// learning (a schedule may only create learning sessions).
func (p *Plan) Validate(learningKind func(int64) bool) error {
	var v errs.Invalid
	if p.OrgID == 0 {
		v.Add("org_id", "required")
	}
	checkText(&v, "title", p.Title, MaxPlanTitle, "learning.title_too_long", true)
	checkText(&v, "description", p.Description, MaxDescription, "learning.description_too_long", false)
	switch {
	case p.From.IsZero() || p.To.IsZero():
		v.Add("from", "learning.span_required")
	case p.To.Before(p.From):
		v.Add("to", "learning.span_order")
	case p.To.Time().Sub(p.From.Time()) >= MaxPlanDays*24*time.Hour:
		v.Add("to", "learning.span_too_long")
	}
	if len(p.Schedules) > MaxSchedules {
		v.Add("schedules", "learning.too_many_schedules")
	}
	for _, s := range p.Schedules {
		s.validate(&v, learningKind)
	}
	seen := map[int64]bool{}
	for _, r := range p.Readings {
		if r.MaterialID == 0 || seen[r.MaterialID] {
			v.Add("readings", "learning.reading_unknown")
		}
		seen[r.MaterialID] = true
	}
	if v.Err() == nil && !p.From.IsZero() {
		n := 0
		for _, s := range p.Schedules {
			n += len(s.Occurrences(p.From, p.To))
		}
		if n > MaxSessions {
			v.Add("schedules", "learning.too_many_sessions")
		}
	}
	return v.Err()
}

func (s *Schedule) validate(v *errs.Invalid, learningKind func(int64) bool) {
	if s.KindID == 0 || (learningKind != nil && !learningKind(s.KindID)) {
		v.Add("schedules", "learning.kind_not_learning")
	}
	checkText(v, "schedules", s.Title, MaxPlanTitle, "learning.schedule_title", true)
	checkText(v, "schedules", s.Place, 100, "learning.place_too_long", false)
	if !s.Repeat.Valid() {
		v.Add("schedules", "learning.repeat_unknown")
	}
	if s.Repeat == Weekly && (s.Weekday < time.Sunday || s.Weekday > time.Saturday) {
		v.Add("schedules", "learning.weekday_range")
	}
	if s.Repeat == Monthly && (s.MonthDay < 1 || s.MonthDay > 31) {
		v.Add("schedules", "learning.monthday_range")
	}
	if _, _, ok := s.clock(); !ok {
		v.Add("schedules", "learning.start_format")
	}
	if s.Minutes < 10 || s.Minutes > MaxMinutes {
		v.Add("schedules", "learning.minutes_range")
	}
}

// clock parses Start ("15:00").
func (s *Schedule) clock() (hour, minute int, ok bool) {
	t, err := time.Parse("15:04", s.Start)
	if err != nil {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// Occurrences are the days from from to to (inclusive) the schedule falls on.
// A monthly schedule on the 31st falls on the last day of a shorter month
// (30 April, 28 or 29 February), never spilling into the next one.
func (s *Schedule) Occurrences(from, to date.Date) []date.Date {
	var out []date.Date
	if to.Before(from) {
		return nil
	}
	switch s.Repeat {
	case Monthly:
		for m := date.Of(from.Year(), from.Month(), 1); !m.After(to); m = m.AddDate(0, 1, 0) {
			last := m.AddDate(0, 1, -1).Day()
			d := date.Of(m.Year(), m.Month(), min(s.MonthDay, last))
			if !d.Before(from) && !d.After(to) {
				out = append(out, d)
			}
		}
		return out
	}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		wd := d.Time().Weekday()
		switch {
		case s.Repeat == Daily,
			s.Repeat == Workdays && wd != time.Saturday && wd != time.Sunday,
			s.Repeat == Weekly && wd == s.Weekday:
			out = append(out, d)
		}
	}
	return out
}

// Session is one session a schedule creates: its day and its times in China.
type Session struct {
	Schedule *Schedule
	Day      date.Date
	Start    time.Time
	End      time.Time
}

// Planned lists what the plan's schedules create, day by day.
func (p *Plan) Planned(zone *time.Location) []Session {
	var out []Session
	for i := range p.Schedules {
		s := &p.Schedules[i]
		h, m, ok := s.clock()
		if !ok {
			continue
		}
		for _, d := range s.Occurrences(p.From, p.To) {
			start := time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, zone)
			out = append(out, Session{Schedule: s, Day: d, Start: start, End: start.Add(time.Duration(s.Minutes) * time.Minute)})
		}
	}
	return out
}

func checkText(v *errs.Invalid, field, s string, max int, key string, required bool) {
	if required && strings.TrimSpace(s) == "" {
		v.Add(field, "required")
		return
	}
	if utf8.RuneCountInString(s) > max {
		v.Add(field, key)
	}
}
