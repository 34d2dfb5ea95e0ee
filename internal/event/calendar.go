package event

import (
	"iter"
	"sort"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
)

// Period is how often a rule requires a kind of event.
type Period string

const (
	Monthly   Period = "month"
	Quarterly Period = "quarter"
	Yearly    Period = "year"
	// Idle is not a frequency but a watch: an organisation with no event of
	// any kind for more than Times days is flagged.
	Idle Period = "idle"
)

// Periods in display order.
var Periods = []Period{Monthly, Quarterly, Yearly, Idle}

// Valid reports whether p is a known period.
func (p Period) Valid() bool { return oneOf(p, Periods) }

// Rule is one required frequency: organisations of OrgKind hold an event of
// KindID at least Times each Period (《支部工作条例》: 支部党员大会 quarterly,
// 支委会 monthly …). Rules are data, seeded with the defaults and edited by
// the administrator, because localities differ.
type Rule struct {
	ID          int64    `json:"id"`
	OrgKind     org.Kind `json:"org_kind"`
	KindID      int64    `json:"kind_id"` // 0 with Idle: any kind
	KindName    string   `json:"kind_name"`
	Period      Period   `json:"period"`
	Times       int      `json:"times"`        // events a period; for Idle, days
	BySecretary bool     `json:"by_secretary"` // counts only events where the organisation's 书记 speaks (书记讲党课)
	Disabled    bool     `json:"disabled"`
	Version     int64    `json:"version"`
}

// Validate checks a rule.
func (r *Rule) Validate() error {
	var v errs.Invalid
	if !r.OrgKind.Valid() {
		v.Add("org_kind", "org.kind_unknown")
	}
	if !r.Period.Valid() {
		v.Add("period", "event.period_unknown")
	}
	switch {
	case r.Period == Idle && r.KindID != 0:
		v.Add("kind_id", "event.idle_any_kind")
	case r.Period != Idle && r.KindID == 0:
		v.Add("kind_id", "event.kind_unknown")
	}
	if r.Times < 1 || r.Times > 366 {
		v.Add("times", "event.times_range")
	}
	if r.BySecretary && r.Period == Idle {
		v.Add("by_secretary", "event.idle_any_kind")
	}
	return v.Err()
}

// Span is a half-open range of days [Start, End).
type Span struct {
	Start date.Date `json:"start"`
	End   date.Date `json:"end"` // the first day after
}

// Contains reports whether d falls in the span.
func (s Span) Contains(d date.Date) bool { return !d.Before(s.Start) && d.Before(s.End) }

// Last is the span's last day.
func (s Span) Last() date.Date { return s.End.AddDate(0, 0, -1) }

// PeriodOf is the month, quarter or year that d falls in.
func PeriodOf(p Period, d date.Date) Span {
	switch p {
	case Monthly:
		start := date.Of(d.Year(), d.Month(), 1)
		return Span{start, start.AddDate(0, 1, 0)}
	case Quarterly:
		start := date.Of(d.Year(), time.Month((int(d.Month())-1)/3*3+1), 1)
		return Span{start, start.AddDate(0, 3, 0)}
	default:
		start := date.Of(d.Year(), time.January, 1)
		return Span{start, start.AddDate(1, 0, 0)}
	}
}

// Quarter is 1…4 for the quarter d falls in.
func Quarter(d date.Date) int { return (int(d.Month())-1)/3 + 1 }

// CalendarOrg is an organisation as the calendar needs it.
type CalendarOrg struct {
	ID     int64
	Name   string
	Kind   org.Kind
	Path   string
	Since  date.Date // entered into the platform: periods that ended before are not judged
	Closed date.Date // zero while open: periods that start after are not judged
}

// HeldEvent is a held event as the calendar counts it.
type HeldEvent struct {
	OrgID       int64
	Kinds       []int64
	On          date.Date
	BySecretary bool // the organisation's 书记 was among the speakers
}

// State is how an organisation stands against one rule in one period.
type State string

const (
	Met    State = "met"    // held as often as required
	Open   State = "open"   // the period runs on and does not end this month
	Due    State = "due"    // not yet held, and the period ends this month
	Missed State = "missed" // the period ended without it: overdue
)

// Check is one organisation against one rule in one period.
type Check struct {
	OrgID    int64  `json:"org_id"`
	OrgName  string `json:"org_name"`
	Rule     Rule   `json:"rule"`
	Span     Span   `json:"span"`
	Required int    `json:"required"`
	Held     int    `json:"held"`
	State    State  `json:"state"`
}

// Compliance judges every organisation against the rules of its kind, for
// each period that overlaps [from, to) and has begun by today: held against
// required, and whether it is met, still open, due this month or missed.
// held is what each organisation held by month, up to today (the calendar
// as it stood on today): months that begin after today are not read, and
// the caller leaves out what the rest of today's month holds. An event
// counts in the period of its month, once for each of its kinds; a period
// reaching past to is judged on all it held by today (October's calendar,
// read in December, finds the fourth quarter's November meeting). The
// checks come one at a time: a province has hundreds of thousands, and
// most callers keep a few or only count them.
func Compliance(orgs []CalendarOrg, rules []Rule, held []HeldMonths, from, to, today date.Date) iter.Seq[Check] {
	return ComplianceFrom(orgs, rules, held, func(Rule) date.Date { return from }, to, today)
}

// ComplianceFrom is Compliance with each rule judged from its own first
// day, from(rule): what is due and what was missed lately need a monthly
// rule's last weeks but a yearly rule's whole last year (see
// SinceLastEnded).
func ComplianceFrom(orgs []CalendarOrg, rules []Rule, held []HeldMonths, from func(Rule) date.Date, to, today date.Date) iter.Seq[Check] {
	return func(yield func(Check) bool) {
		first := make([]date.Date, len(rules))
		for i, r := range rules {
			first[i] = from(r)
		}
		byOrg := map[int64][]HeldMonths{}
		for _, h := range held {
			byOrg[h.OrgID] = append(byOrg[h.OrgID], h)
		}
		heldIn := map[date.Date]int{} // an organisation's events under a rule, by the first day of their period
		for _, o := range orgs {
			for i, r := range rules {
				if r.Disabled || r.Period == Idle || r.OrgKind != o.Kind {
					continue
				}
				// The months counted into their periods once, rather than
				// looked through for every period.
				clear(heldIn)
				for _, y := range byOrg[o.ID] {
					c := y.Kinds[r.KindID]
					if c == nil {
						continue
					}
					counts := &c.Held
					if r.BySecretary {
						counts = &c.Talks
					}
					for m, n := range counts {
						start := date.Of(y.Year, time.Month(m+1), 1)
						if start.After(today) {
							break
						}
						if n != 0 {
							heldIn[PeriodOf(r.Period, start).Start] += n
						}
					}
				}
				for span := PeriodOf(r.Period, first[i]); span.Start.Before(to); span = PeriodOf(r.Period, span.End) {
					if span.Start.After(today) {
						break // a period that has not begun is not judged yet
					}
					if (!o.Since.IsZero() && !o.Since.Before(span.End)) || (!o.Closed.IsZero() && !o.Closed.After(span.Start)) {
						continue
					}
					c := Check{OrgID: o.ID, OrgName: o.Name, Rule: r, Span: span, Required: r.Times, Held: heldIn[span.Start]}
					c.State = judge(c, span, today)
					if !yield(c) {
						return
					}
				}
			}
		}
	}
}

// SinceLastEnded judges each rule from the start of its last period that
// ended before today's: last month for a monthly rule, last year for a
// yearly one — what is due now and what was missed last (the 工作台).
func SinceLastEnded(today date.Date) func(Rule) date.Date {
	return func(r Rule) date.Date {
		return PeriodOf(r.Period, PeriodOf(r.Period, today).Start.AddDate(0, 0, -1)).Start
	}
}

func judge(c Check, span Span, today date.Date) State {
	last := span.Last()
	switch {
	case c.Held >= c.Required:
		return Met
	case !today.Before(span.End):
		return Missed
	case last.Year() == today.Year() && last.Month() == today.Month():
		return Due
	}
	return Open
}

// IdleOrg is an organisation with no event for longer than its rule allows.
type IdleOrg struct {
	OrgID   int64     `json:"org_id"`
	OrgName string    `json:"org_name"`
	Last    date.Date `json:"last"` // the last held event in its subtree; zero for none
	Days    int       `json:"days"` // days since then (or since it was entered)
	Limit   int       `json:"limit"`
}

// Idleness flags the organisations whose idle rule is broken on today:
// lastHeld is, by an organisation's path, the last day up to today that
// anything was held in its subtree, so a branch counts its 党小组's
// meetings. The subtree's day is the store's to find (one look-up each),
// not this function's to search for among every path.
func Idleness(orgs []CalendarOrg, rules []Rule, lastHeld map[string]date.Date, today date.Date) []IdleOrg {
	var out []IdleOrg
	for _, o := range orgs {
		for _, r := range rules {
			if r.Disabled || r.Period != Idle || r.OrgKind != o.Kind || !o.Closed.IsZero() {
				continue
			}
			last := lastHeld[o.Path]
			since := last
			if since.IsZero() {
				since = o.Since
			}
			if since.IsZero() {
				continue
			}
			days := DaysFrom(since, today)
			if days > r.Times {
				out = append(out, IdleOrg{OrgID: o.ID, OrgName: o.Name, Last: last, Days: days, Limit: r.Times})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Days > out[j].Days })
	return out
}

// DaysFrom is the number of days from a to b.
func DaysFrom(a, b date.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }
