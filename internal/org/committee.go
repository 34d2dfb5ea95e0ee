package org

import (
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// TermRules are the committee term lengths in years. They are configuration
// (config.Config.Terms, flags --term-years, --term-years-committee,
// --term-years-grassroot), because a province may set its own within the
// Party Constitution's range; the defaults are the rule in force:
//
//   - 《中国共产党章程》第三十一条: 党的基层委员会、总支部委员会、支部委员会每届任期
//     三年至五年 (the range a configuration must stay within).
//   - 中共中央办公厅《关于党的基层组织任期的意见》(2018) 第一条: 党的基层委员会每届
//     任期一般为5年，党的总支部委员会、支部委员会每届任期一般为3年，其中，村和社区党的
//     委员会、总支部委员会、支部委员会每届任期为5年. 《中国共产党支部工作条例（试行）》
//     第二十一条 says the same of branches (村、社区 5, others generally 3).
//   - 《中国共产党基层组织选举工作条例》(2020) 第三条: 换届 is held when the term
//     ends; putting it off or forward needs the upper organisation's approval
//     and generally by at most a year — the reason 换届 is shown as due.
//
// A 机关党委 is a 党的基层委员会, so its term is YearsCommittee (5), not the
// 3 years of a branch.
type TermRules struct {
	Years          int // 总支部委员会、支部委员会 (党总支, 党支部): 3
	YearsCommittee int // 党的基层委员会 (党委, 机关党委, 乡镇党委): 5
	YearsGrassroot int // 村和社区 (their committees, general branches and branches alike): 5
	WarnDays       int // how long before the end 换届 shows as coming due
}

// DefaultTermRules are the defaults of the configuration (see TermRules for
// the rules they come from): branches 3 years, 基层委员会 5, villages and
// communities 5, warn 90 days ahead. Code takes the rules from the
// configuration, never from here.
var DefaultTermRules = TermRules{Years: 3, YearsCommittee: 5, YearsGrassroot: 5, WarnDays: 90}

// TermYears is the term length of o's committee. A branch under a 村/社区
// serves the grassroots term like the village itself: the store marks such
// organisations (Org.UnderVillage), or the caller passes the kinds of the
// organisations above o.
func (r TermRules) TermYears(o *Org, ancestors ...Kind) int {
	if o.Kind == Village || o.UnderVillage {
		return r.YearsGrassroot
	}
	for _, k := range ancestors {
		if k == Village {
			return r.YearsGrassroot
		}
	}
	switch o.Kind {
	case Committee, Township:
		return r.YearsCommittee
	}
	return r.Years
}

// TermState is the 换届 status of an organisation on a day.
type TermState string

const (
	TermNone    TermState = ""        // no committee term recorded
	TermCurrent TermState = "current" // within its term
	TermDueSoon TermState = "due_soon"
	TermOverdue TermState = "overdue"
)

// TermEnd is when the current committee's term ends (ancestors as in TermYears).
func (r TermRules) TermEnd(o *Org, ancestors ...Kind) date.Date {
	if o.TermStart.IsZero() {
		return date.Date{}
	}
	return o.TermStart.AddDate(r.TermYears(o, ancestors...), 0, 0)
}

// Term reports whether 换届 is due for o on day (ancestors as in TermYears).
func (r TermRules) Term(o *Org, day date.Date, ancestors ...Kind) TermState {
	end := r.TermEnd(o, ancestors...)
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
