package event

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// HeldMonths is what one organisation held in one year, month by month: for
// each kind, how many events of it were held in each month (an event of two
// kinds counts for both) and at how many of them the organisation's
// secretary of the day spoke. The store keeps one per organisation and year
// in the transaction of every event, so a province's calendar adds up some
// ten thousand of these instead of reading every meeting of the year.
type HeldMonths struct {
	OrgID int64
	Year  int
	Kinds map[int64]*MonthCounts
}

// MonthCounts are one kind's events of a year by month (0 is January).
type MonthCounts struct{ Held, Talks [12]int }

// CountHeld adds held events up by organisation and year, in the order the
// organisations and years first appear.
func CountHeld(held []HeldEvent) []HeldMonths {
	type key struct {
		org  int64
		year int
	}
	at := map[key]int{}
	var out []HeldMonths
	for _, e := range held {
		k := key{e.OrgID, e.On.Year()}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, HeldMonths{OrgID: e.OrgID, Year: k.year, Kinds: map[int64]*MonthCounts{}})
		}
		out[i].Add(e, 1)
	}
	return out
}

// Add counts e n times under each of its kinds (-1 takes it away); e must
// fall in h's year.
func (h *HeldMonths) Add(e HeldEvent, n int) {
	m := int(e.On.Month()) - 1
	for _, k := range slices.Compact(slices.Sorted(slices.Values(e.Kinds))) {
		c := h.Kinds[k]
		if c == nil {
			c = &MonthCounts{}
			h.Kinds[k] = c
		}
		c.Held[m] += n
		if e.BySecretary {
			c.Talks[m] += n
		}
	}
}

// Encode writes the counts as the store keeps them: each kind in order as
// "kind:twelve counts", followed by "|twelve counts" of talks when there
// were any, the kinds separated by ";". Kinds with nothing held are left
// out; nothing held at all is "".
func (h HeldMonths) Encode() string {
	var b strings.Builder
	for _, k := range slices.Sorted(func(yield func(int64) bool) {
		for k := range h.Kinds {
			if !yield(k) {
				return
			}
		}
	}) {
		c := h.Kinds[k]
		if c.Held == ([12]int{}) && c.Talks == ([12]int{}) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatInt(k, 10))
		b.WriteByte(':')
		writeMonths(&b, c.Held)
		if c.Talks != ([12]int{}) {
			b.WriteByte('|')
			writeMonths(&b, c.Talks)
		}
	}
	return b.String()
}

func writeMonths(b *strings.Builder, m [12]int) {
	for i, n := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(n))
	}
}

// DecodeHeldMonths reads what Encode wrote.
func DecodeHeldMonths(s string) (map[int64]*MonthCounts, error) {
	out := map[int64]*MonthCounts{}
	if s == "" {
		return out, nil
	}
	for part := range strings.SplitSeq(s, ";") {
		kind, counts, ok := strings.Cut(part, ":")
		k, err := strconv.ParseInt(kind, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("held months %q: no kind in %q", s, part)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("held months %q: kind %d twice", s, k)
		}
		held, talks, hasTalks := strings.Cut(counts, "|")
		c := &MonthCounts{}
		if err := readMonths(&c.Held, held); err != nil {
			return nil, fmt.Errorf("held months %q: %w", s, err)
		}
		if hasTalks {
			if err := readMonths(&c.Talks, talks); err != nil {
				return nil, fmt.Errorf("held months %q: %w", s, err)
			}
		}
		out[k] = c
	}
	return out, nil
}

func readMonths(m *[12]int, s string) error {
	i := 0
	for part := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(part)
		if err != nil || i == 12 {
			return fmt.Errorf("months %q", s)
		}
		m[i] = n
		i++
	}
	if i != 12 {
		return fmt.Errorf("months %q: %d, not 12", s, i)
	}
	return nil
}
