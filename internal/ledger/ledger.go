// Package ledger is the rectification ledger (整改台账): one list of things
// to fix, whatever raised them — a problem found at a 组织生活会 or 民主生活会,
// a manual entry, and later the findings of questionnaires, supervision and
// spot checks — each with its measures, owner, deadline and dated progress.
// It also holds the per-participant records of those meetings and the
// campaigns (专项学习教育, 主题教育) that events and items may belong to.
package ledger

import (
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// Source names what raised an item. It is open-ended on purpose: the
// ledgers of other modules add their own sources to this one list.
type Source string

const (
	Manual      Source = "manual"       // entered by hand
	LifeProblem Source = "life_problem" // a problem found at a 组织生活会 / 民主生活会
)

// KnownSource reports whether a source is one this installation knows.
func KnownSource(s Source) bool { return s == Manual || s == LifeProblem }

// Status is where an item stands. Overdue is not stored: an open item whose
// deadline has passed is overdue on the day it is read.
type Status string

const (
	Open    Status = "open"    // 整改中
	Done    Status = "done"    // 已完成
	Overdue Status = "overdue" // 逾期
)

// Statuses in display order.
var Statuses = []Status{Open, Overdue, Done}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Open || s == Done || s == Overdue }

// Limits of an item's texts, in characters.
const (
	MaxProblem  = 1000
	MaxMeasures = 2000
	MaxNote     = 1000
	MaxClosure  = 1000
)

// Item is one thing to fix.
type Item struct {
	ID         int64
	OrgID      int64 // the responsible organisation; its subtree is the scope
	OrgPath    string
	OrgName    string
	Source     Source
	SourceID   int64  // the record of the source (a life problem's ID); 0 for manual
	SourceText string // what the source says, filled on read ("第一党支部组织生活会 · 张伟")
	EventID    int64  // the meeting a life problem came from, filled on read
	CampaignID int64
	Campaign   string // filled on read

	Problem  string
	Measures string
	OwnerID  int64
	Owner    string // filled on read
	OpenedOn date.Date
	Deadline date.Date
	ClosedOn date.Date // zero while open
	Closure  string    // how it was closed

	Progress []Progress
	Latest   Progress // the newest progress entry (date and note only), filled on read

	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Progress is one dated step of an item's rectification.
type Progress struct {
	ID        int64     `json:"id"`
	On        date.Date `json:"on"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// StatusOn is the item's status on a day: done once closed, overdue when
// open past its deadline, open otherwise.
func (i *Item) StatusOn(today date.Date) Status {
	switch {
	case !i.ClosedOn.IsZero():
		return Done
	case !i.Deadline.IsZero() && i.Deadline.Before(today):
		return Overdue
	}
	return Open
}

// OnTime reports whether a closed item was closed by its deadline.
func (i *Item) OnTime() bool { return !i.ClosedOn.IsZero() && !i.ClosedOn.After(i.Deadline) }

// Normalize trims the texts.
func (i *Item) Normalize() {
	i.Problem, i.Measures, i.Closure = strings.TrimSpace(i.Problem), strings.TrimSpace(i.Measures), strings.TrimSpace(i.Closure)
	if i.Source == "" {
		i.Source = Manual
	}
}

// Validate checks an item as it is saved.
func (i *Item) Validate() error {
	var v errs.Invalid
	if i.OrgID == 0 {
		v.Add("org_id", "required")
	}
	if !KnownSource(i.Source) {
		v.Add("source", "ledger.source_unknown")
	}
	if i.Problem == "" {
		v.Add("problem", "ledger.problem_required")
	}
	v.MaxLen("problem", i.Problem, MaxProblem)
	v.MaxLen("measures", i.Measures, MaxMeasures)
	v.MaxLen("closure", i.Closure, MaxClosure)
	if i.OwnerID == 0 {
		v.Add("owner_id", "ledger.owner_required")
	}
	if i.Deadline.IsZero() {
		v.Add("deadline", "ledger.deadline_required")
	} else if !i.OpenedOn.IsZero() && i.Deadline.Before(i.OpenedOn) {
		v.Add("deadline", "ledger.deadline_before_opened")
	}
	return v.Err()
}

// ValidateProgress checks a progress entry of an item.
func ValidateProgress(i *Item, p *Progress, today date.Date) error {
	var v errs.Invalid
	p.Note = strings.TrimSpace(p.Note)
	if p.Note == "" {
		v.Add("note", "ledger.note_required")
	}
	v.MaxLen("note", p.Note, MaxNote)
	switch {
	case p.On.IsZero():
		v.Add("on", "ledger.date_required")
	case p.On.After(today):
		v.Add("on", "ledger.date_future")
	case p.On.Before(i.OpenedOn):
		v.Add("on", "ledger.date_before_opened")
	}
	if !i.ClosedOn.IsZero() {
		v.Add("note", "ledger.closed_already")
	}
	return v.Err()
}

// ValidateClose checks the closure of an item on a day with how it was done.
func ValidateClose(i *Item, on date.Date, closure string, today date.Date) error {
	var v errs.Invalid
	if !i.ClosedOn.IsZero() {
		v.Add("closed_on", "ledger.closed_already")
	}
	switch {
	case on.IsZero():
		v.Add("closed_on", "ledger.date_required")
	case on.After(today):
		v.Add("closed_on", "ledger.date_future")
	case on.Before(i.OpenedOn):
		v.Add("closed_on", "ledger.date_before_opened")
	}
	closure = strings.TrimSpace(closure)
	if closure == "" {
		v.Add("closure", "ledger.closure_required")
	}
	v.MaxLen("closure", closure, MaxClosure)
	return v.Err()
}
