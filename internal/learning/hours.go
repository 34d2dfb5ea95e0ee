package learning

import (
	"dangjian/internal/errs"
	"dangjian/internal/event"
)

// Requirement is the 学时 a person must reach in a year: members 32,
// branch secretaries and committee members 56 (the defaults; an
// administrator changes them).
type Requirement struct {
	Member    event.Hours `json:"member"`
	Committee event.Hours `json:"committee"`
}

// DefaultRequirement is 32 学时 for members and 56 for secretaries and
// committee members, in tenths.
var DefaultRequirement = Requirement{Member: 320, Committee: 560}

// Validate checks a requirement: each between 1 and 500 学时.
func (r Requirement) Validate() error {
	if r.Member < 10 || r.Member > 5000 || r.Committee < 10 || r.Committee > 5000 {
		return errs.Field("member", "learning.requirement_range")
	}
	return nil
}

// For is the requirement of one person.
func (r Requirement) For(committee bool) event.Hours {
	if committee {
		return r.Committee
	}
	return r.Member
}

// Standing is one person's 学时 for a year: what each learning session
// they attended (or made up) earned, against their requirement.
type Standing struct {
	PersonID  int64       `json:"person_id"`
	Name      string      `json:"name"`
	OrgName   string      `json:"org_name"`
	Committee bool        `json:"committee"` // holds a committee seat: the higher requirement
	Sessions  int         `json:"sessions"`  // days present or made up at learning events
	Earned    event.Hours `json:"earned"`
	Required  event.Hours `json:"required"`
	NoteChars int         `json:"note_chars"`
	Notes     int         `json:"notes"`
	Reflects  int         `json:"reflections"`
}

// Met reports whether the person reached their requirement.
func (s Standing) Met() bool { return s.Earned >= s.Required }

// Percent is how far along they are, 0–100.
func (s Standing) Percent() int {
	if s.Required <= 0 {
		return 100
	}
	return min(100, int(s.Earned*100/s.Required))
}

// Credit is what a person earned at learning sessions: the days attended
// (or made up) and their 学时 added up.
type Credit struct {
	PersonID int64
	Credit   event.Hours
	Days     int
}

// Tally adds up credits per person into standings: people are the roster
// (in order) with whether each holds a committee seat.
func Tally(people []Standing, credits []Credit, req Requirement) []Standing {
	index := map[int64]int{}
	for i := range people {
		index[people[i].PersonID] = i
		people[i].Required = req.For(people[i].Committee)
	}
	for _, c := range credits {
		if i, ok := index[c.PersonID]; ok {
			people[i].Earned += c.Credit
			people[i].Sessions += c.Days
		}
	}
	return people
}

// MetShare is how many of the standings met their requirement (学时达标率).
func MetShare(list []Standing) event.Ratio {
	r := event.Ratio{Den: len(list)}
	for _, s := range list {
		if s.Met() {
			r.Num++
		}
	}
	return r
}

// ForDays is the requirement of a span of days: a year (365 days or more)
// needs all of it, a shorter span its share, rounded up to a tenth of a 学时
// (a half-year of 181 days: 15.9 of 32).
func (r Requirement) ForDays(days int) Requirement {
	if days >= 365 {
		return r
	}
	share := func(h event.Hours) event.Hours {
		return event.Hours((int(h)*max(days, 0) + 364) / 365)
	}
	return Requirement{Member: share(r.Member), Committee: share(r.Committee)}
}
