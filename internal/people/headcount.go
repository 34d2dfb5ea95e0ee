package people

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dangjian/internal/date"
)

// Headcounts are an organisation's people as they changed over time: for
// each measure, the days people began counting (+1) and stopped (−1), or
// took a step of the pipeline (+1). A figure at any day is the sum of the
// changes up to it, so a subtree's roster at the end of any period is its
// organisations' headcounts added up, without reading every person again.
// The store keeps them per organisation (migration 00310).
type Headcounts [NumMeasures][]Change

// Change is what a measure changed by on one day.
type Change struct {
	Day int // dayKey: yyyymmdd, 0 for "always"
	N   int
}

// Measure is one figure the headcounts keep.
type Measure int

// The measures. "On the roster at a day" is the store's: not transferred
// out by then and (for members) not transferred in after it; party standing
// follows the dated steps, not today's status.
const (
	OnRoster          Measure = iota // everyone not transferred out: the per-capita denominator
	MembersOnRoster                  // 正式党员 and 预备党员 admitted by the day
	StillProbationary                // of them, not yet full members
	YoungMembers                     // of them, under 35 that day
	HonouredMembers                  // of them, full members for 50 years or more
	BecameActivist                   // steps of the pipeline taken on the day
	BecameCandidate
	Admitted
	BecameFull
	NumMeasures // how many there are
)

// Counted is what of a person the headcounts count.
type Counted struct {
	Status    Status
	BirthDate date.Date
	// Dated steps of the pipeline (zero when not reached).
	ActivistOn, CandidateOn, JoinedOn, FullOn date.Date
	LeftOn                                    date.Date // transferred out
	ArrivedOn                                 date.Date // the last transfer in; zero when none
}

// CountHeadcounts adds up people.
func CountHeadcounts(list []Counted) Headcounts {
	var h Headcounts
	for _, p := range list {
		h.add(p)
	}
	for m := range h {
		h[m] = merge(h[m])
	}
	return h
}

// add appends a person's changes, unsorted.
func (h *Headcounts) add(p Counted) {
	left := dayKey(p.LeftOn)
	h.span(OnRoster, 0, left)
	for _, step := range [...]struct {
		m  Measure
		on date.Date
	}{{BecameActivist, p.ActivistOn}, {BecameCandidate, p.CandidateOn}, {Admitted, p.JoinedOn}, {BecameFull, p.FullOn}} {
		if !step.on.IsZero() {
			h[step.m] = append(h[step.m], Change{dayKey(step.on), 1})
		}
	}
	if (p.Status != Full && p.Status != Probationary) || p.JoinedOn.IsZero() {
		return
	}
	start := max(dayKey(p.JoinedOn), dayKey(p.ArrivedOn))
	h.span(MembersOnRoster, start, left)
	h.span(StillProbationary, start, earliest(left, dayKey(p.FullOn)))
	if !p.BirthDate.IsZero() {
		h.span(YoungMembers, start, earliest(left, dayKey(firstDayAged(p.BirthDate, 35))))
	}
	if !p.FullOn.IsZero() {
		h.span(HonouredMembers, max(start, dayKey(firstDayAged(p.FullOn, 50))), left)
	}
}

// span counts one person in m from the day from up to the day to (0: for
// good); nothing when to is not after from.
func (h *Headcounts) span(m Measure, from, to int) {
	if to != 0 && to <= from {
		return
	}
	h[m] = append(h[m], Change{from, 1})
	if to != 0 {
		h[m] = append(h[m], Change{to, -1})
	}
}

// earliest of two days where 0 is "never".
func earliest(a, b int) int {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

// firstDayAged is the first day d with d.AddDate(-years, 0, 0) not before
// since: the day the store's "under 35" (birth after the day 35 years
// earlier) stops holding, or 50 years since becoming full begin. AddDate
// moves 29 February to 1 March, so the day is looked for around it.
func firstDayAged(since date.Date, years int) date.Date {
	d := since.AddDate(years, 0, 0)
	for !d.AddDate(0, 0, -1).AddDate(-years, 0, 0).Before(since) {
		d = d.AddDate(0, 0, -1)
	}
	for d.AddDate(-years, 0, 0).Before(since) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// merge sorts changes by day and adds up those of one day, dropping the
// days that come to nothing.
func merge(cs []Change) []Change {
	slices.SortFunc(cs, func(a, b Change) int { return cmp.Compare(a.Day, b.Day) })
	out := cs[:0]
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].Day == c.Day {
			out[n-1].N += c.N
			if out[n-1].N == 0 {
				out = out[:n-1]
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// dayKey orders days as integers: yyyymmdd, 0 for the zero day.
func dayKey(d date.Date) int {
	if d.IsZero() {
		return 0
	}
	return d.Year()*10000 + int(d.Month())*100 + d.Day()
}

// At is measure m on day d: the people counting that day, or for a step,
// those who took it by then.
func (h *Headcounts) At(m Measure, d date.Date) int {
	key, n := dayKey(d), 0
	for _, c := range h[m] {
		if c.Day > key {
			break
		}
		n += c.N
	}
	return n
}

// Between is the people who took step m on the days from–to, both included.
func (h *Headcounts) Between(m Measure, from, to date.Date) int {
	return h.At(m, to) - h.At(m, from.AddDate(0, 0, -1))
}

// HeadcountSum adds up the encoded headcounts of many organisations (a
// province's five thousand): each day's changes into one, without sorting
// every change of every organisation.
type HeadcountSum struct {
	byDay [NumMeasures]map[int]int
}

// AddEncoded adds an organisation's headcounts as Encode wrote them;
// anything else is an error (and leaves the sum part-added).
func (s *HeadcountSum) AddEncoded(enc string) error {
	return parse(enc, func(m Measure, c Change) {
		if s.byDay[m] == nil {
			s.byDay[m] = map[int]int{}
		}
		s.byDay[m][c.Day] += c.N
	})
}

// Headcounts are what was added up.
func (s *HeadcountSum) Headcounts() Headcounts {
	var h Headcounts
	for m, days := range s.byDay {
		for day, n := range days {
			if n != 0 {
				h[m] = append(h[m], Change{day, n})
			}
		}
		slices.SortFunc(h[m], func(a, b Change) int { return cmp.Compare(a.Day, b.Day) })
	}
	return h
}

// Encode writes the headcounts as the store keeps them: the measures in
// order, separated by ";", each its changes "yyyymmdd+n" separated by ",".
func (h *Headcounts) Encode() string {
	var b strings.Builder
	for m, cs := range h {
		if m > 0 {
			b.WriteByte(';')
		}
		for i, c := range cs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(c.Day))
			if c.N > 0 {
				b.WriteByte('+')
			}
			b.WriteString(strconv.Itoa(c.N))
		}
	}
	return b.String()
}

// parse calls add with each change of s in order, and fails on anything
// Encode does not write: NumMeasures sections, each of changes
// "yyyymmdd+n" or "yyyymmdd-n" (n not 0) on days in ascending order. A
// province's summary parses every organisation's: byte by byte, without
// cutting the text into pieces first.
func parse(s string, add func(Measure, Change)) error {
	m, last := Measure(0), -1
	for i := 0; ; {
		if i < len(s) && s[i] != ';' {
			day, j := digits(s, i)
			if j == i || j == len(s) || (s[j] != '+' && s[j] != '-') {
				return fmt.Errorf("headcounts: a change at %d of %q", i, s)
			}
			n, k := digits(s, j+1)
			if k == j+1 || n == 0 {
				return fmt.Errorf("headcounts: a change at %d of %q", i, s)
			}
			if day <= last {
				return fmt.Errorf("headcounts: days out of order at %d of %q", i, s)
			}
			if s[j] == '-' {
				n = -n
			}
			add(m, Change{day, n})
			last, i = day, k
			if i < len(s) && s[i] == ',' {
				if i++; i == len(s) || s[i] == ';' {
					return fmt.Errorf("headcounts: a comma without a change at %d of %q", i, s)
				}
				continue
			}
		}
		if i == len(s) {
			break
		}
		if s[i] != ';' {
			return fmt.Errorf("headcounts: %q at %d of %q", s[i], i, s)
		}
		if m++; m == NumMeasures {
			return fmt.Errorf("headcounts: more than %d measures in %q", NumMeasures, s)
		}
		last, i = -1, i+1
	}
	if m != NumMeasures-1 {
		return fmt.Errorf("headcounts: %d measures, want %d", m+1, NumMeasures)
	}
	return nil
}

// digits reads the number at s[i:] (at most 9 digits), and where it ends.
func digits(s string, i int) (n, end int) {
	for end = i; end < len(s) && end-i < 9 && s[end] >= '0' && s[end] <= '9'; end++ {
		n = n*10 + int(s[end]-'0')
	}
	return n, end
}
