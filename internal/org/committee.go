package org

import (
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// TermRules are the committee term lengths in years. They are configuration
// (config.Config.Terms, flags --term-years …), because provinces set their
// own; the defaults are those of 《中国共产党支部工作条例（试行）》.
type TermRules struct {
	Years          int // ordinary organisations
	YearsGrassroot int // villages and communities
	WarnDays       int // how long before the end 换届 shows as coming due
}

// DefaultTermRules are the defaults of the configuration: 3 years, 5 for
// villages and communities, warn 90 days ahead. Code takes the rules from
// the configuration, never from here.
var DefaultTermRules = TermRules{Years: 3, YearsGrassroot: 5, WarnDays: 90}

// TermState is the 换届 status of an organisation on a day.
type TermState string

const (
	TermNone    TermState = ""        // no committee term recorded
	TermCurrent TermState = "current" // within its term
	TermDueSoon TermState = "due_soon"
	TermOverdue TermState = "overdue"
)

// TermEnd is when the current committee's term ends.
func (r TermRules) TermEnd(o *Org) date.Date {
	if o.TermStart.IsZero() {
		return date.Date{}
	}
	years := r.Years
	if o.Kind == Village || o.Kind == Township {
		years = r.YearsGrassroot
	}
	return o.TermStart.AddDate(years, 0, 0)
}

// Term reports whether 换届 is due for o on day.
func (r TermRules) Term(o *Org, day date.Date) TermState {
	end := r.TermEnd(o)
	switch {
	case end.IsZero():
		return TermNone
	case !day.Before(end):
		return TermOverdue
	case !day.Before(end.AddDate(0, 0, -r.WarnDays)):
		return TermDueSoon
	}
	return TermCurrent
}

// CommitteeMember is one seat of a branch (or committee) leadership.
type CommitteeMember struct {
	ID       int64
	OrgID    int64
	PersonID int64
	Position string // dictionary "committee_position": 书记, 副书记, 组织委员 …; at most MaxPosition characters
	Duty     string // 分工, at most MaxDuty characters
	From     date.Date
	To       date.Date // zero while serving
	Name     string    // filled on read
	Created  time.Time
}

// Validate checks a seat.
func (m *CommitteeMember) Validate() error {
	var v errs.Invalid
	if m.PersonID == 0 {
		v.Add("person_id", "required")
	}
	if m.Position == "" {
		v.Add("position", "required")
	}
	v.MaxLen("position", m.Position, MaxPosition)
	v.MaxLen("duty", m.Duty, MaxDuty)
	if m.From.IsZero() {
		v.Add("from", "required")
	}
	if !m.To.IsZero() && m.To.Before(m.From) {
		v.Add("to", "date.before_start")
	}
	return v.Err()
}
