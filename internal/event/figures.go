package event

import (
	"maps"
	"math"

	"dangjian/internal/date"
)

// The figures of organisational life and learning for a subtree and a
// period, defined exactly (docs/indicators.md says the same in words). The
// store adds up the held events' marks (Tally) and the distinct people;
// Compute turns them into the figures, so every definition is here, over
// plain data, and tested without a database.

// Tally is the held events of one day of the subtree and period that agree
// on whether they count as learning and on their credit, added up. Every
// figure but the distinct people is a sum over events, so a province's
// year arrives as a few hundred tallies rather than tens of thousands of
// events; a tally of one event is that event.
type Tally struct {
	HeldOn          date.Date // the day they began, which places them in a month
	Learning        bool      // their kinds count as learning
	Credit          Hours     // 学时 a day of attendance earns
	Events          int       // events added up
	Expected        int       // expected marks: people expected × days
	Present         int       // present marks, walk-ins included
	PresentExpected int       // present marks of people expected
	MadeUp          int       // marks of people on leave or absent who made up later (补课)
	Speakers        int       // speakers (授课人次 at learning events)
	Decisions       int       // 集体决策事项
}

// FigureInput is what the store reads for one subtree and period.
type FigureInput struct {
	Span    Span
	Tallies []Tally
	// HeldByKind counts the held events under each kind they count as: the
	// primary kind and the kinds they also count as.
	HeldByKind map[int64]int
	// Distinct people at learning events: expected at one at least, and of
	// those, present at one or made up one at least.
	LearningExpected int
	LearningCovered  int
	// Roster is the people on the subtree's roster at the end of the period
	// (not transferred out by its last day): the per-capita denominator.
	Roster int
	// Notes (学习笔记, in characters) and reflections (心得体会) written in
	// the period in the subtree (the store's learning notes).
	NoteChars   int
	Reflections int
}

// Ratio is a share with its parts, so a page can say "317/320".
type Ratio struct {
	Num int `json:"num"`
	Den int `json:"den"`
}

// Value is Num/Den, or 0 when there is nothing to divide by.
func (r Ratio) Value() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Figures are the figures of one subtree and period.
type Figures struct {
	Span           Span          `json:"span"`
	Held           int           `json:"held"`            // events held
	HeldByKind     map[int64]int `json:"held_by_kind"`    // events held, by each kind they count as
	LearningEvents int           `json:"learning_events"` // held events that count as learning
	PersonTimes    int           `json:"person_times"`    // 人次: present marks at learning events
	MadeUp         int           `json:"made_up"`         // 补课: made-up marks at learning events, apart from 人次
	Coverage       Ratio         `json:"coverage"`        // distinct people covered ÷ distinct people expected, at learning events
	Attendance     Ratio         `json:"attendance"`      // present ÷ expected marks, at events that take attendance
	Decisions      int           `json:"decisions"`       // 集体决策事项
	SpeakerTimes   int           `json:"speaker_times"`   // 授课人次: speakers at learning events
	Hours          Hours         `json:"hours"`           // 学时 earned: credit × (present + made-up marks) at learning events
	Roster         int           `json:"roster"`
	HoursPerCapita float64       `json:"hours_per_capita"` // Hours ÷ Roster
	NotesPerCapita float64       `json:"notes_per_capita"` // note characters ÷ Roster
	ReflectionsPC  float64       `json:"reflections_per_capita"`
}

// Compute applies the definitions.
func Compute(in FigureInput) Figures {
	f := Figures{Span: in.Span, HeldByKind: maps.Clone(in.HeldByKind), Roster: in.Roster,
		Coverage: Ratio{in.LearningCovered, in.LearningExpected}}
	if f.HeldByKind == nil {
		f.HeldByKind = map[int64]int{}
	}
	for _, t := range in.Tallies {
		f.Held += t.Events
		f.Decisions += t.Decisions
		f.Attendance.Num += t.PresentExpected
		f.Attendance.Den += t.Expected
		if !t.Learning {
			continue
		}
		f.LearningEvents += t.Events
		f.PersonTimes += t.Present
		f.MadeUp += t.MadeUp
		f.SpeakerTimes += t.Speakers
		f.Hours += t.Credit * Hours(t.Present+t.MadeUp)
	}
	f.HoursPerCapita = perCapita(float64(f.Hours)/10, in.Roster)
	f.NotesPerCapita = perCapita(float64(in.NoteChars), in.Roster)
	f.ReflectionsPC = perCapita(float64(in.Reflections), in.Roster)
	return f
}

// MonthTotal is what a month of the input held: events and 人次.
type MonthTotal struct {
	Start       date.Date // the month's first day
	Held        int
	PersonTimes int
}

// ByMonth adds up the input's events month by month over its span (every
// month of the span, empty ones too), as event.Compute counts them; only
// the figures summed over events split by month, so the dashboard's trend needs one
// read of the year instead of twelve.
func ByMonth(in FigureInput) []MonthTotal {
	var out []MonthTotal
	month := func(d date.Date) int { return d.Year()*12 + int(d.Month()) }
	at := map[int]int{}
	for m := date.Of(in.Span.Start.Year(), in.Span.Start.Month(), 1); m.Before(in.Span.End); m = m.AddDate(0, 1, 0) {
		at[month(m)] = len(out)
		out = append(out, MonthTotal{Start: m})
	}
	for _, t := range in.Tallies {
		i, ok := at[month(t.HeldOn)]
		if !ok {
			continue
		}
		out[i].Held += t.Events
		if t.Learning {
			out[i].PersonTimes += t.Present
		}
	}
	return out
}

func perCapita(total float64, people int) float64 {
	if people == 0 {
		return 0
	}
	return round(total/float64(people), 2)
}

// YearEarlier is the same span a year before (29 February becomes 1 March).
func (s Span) YearEarlier() Span { return Span{s.Start.AddDate(-1, 0, 0), s.End.AddDate(-1, 0, 0)} }

// Change is how a figure moved against the year before: for counts and
// amounts a percentage of the old value, for rates a difference in
// percentage points (覆盖率提升5个百分点). OK is false when there is no old
// value to compare a count with.
type Change struct {
	Percent float64 `json:"percent"` // counts: (now − then) ÷ then × 100
	Points  float64 `json:"points"`  // rates: (now − then) × 100
	OK      bool    `json:"ok"`
}

// CountChange compares two counts or amounts.
func CountChange(now, then float64) Change {
	if then == 0 {
		return Change{}
	}
	return Change{Percent: round((now-then)/then*100, 1), OK: true}
}

// RateChange compares two rates (0…1).
func RateChange(now, then Ratio) Change {
	if then.Den == 0 || now.Den == 0 {
		return Change{}
	}
	return Change{Points: round((now.Value()-then.Value())*100, 1), OK: true}
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
