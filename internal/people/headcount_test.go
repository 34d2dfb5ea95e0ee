package people

import (
	"math/rand/v2"
	"testing"

	"dangjian/internal/date"
)

// onDay counts measure m on day d the way the store's roster query does,
// person by person: the definition the headcounts must agree with.
func onDay(list []Counted, m Measure, d date.Date) int {
	n := 0
	notAfter := func(x date.Date) bool { return !x.IsZero() && !x.After(d) }
	for _, p := range list {
		onRoster := p.LeftOn.IsZero() || p.LeftOn.After(d)
		member := (p.Status == Full || p.Status == Probationary) && notAfter(p.JoinedOn) && onRoster && (p.ArrivedOn.IsZero() || !p.ArrivedOn.After(d))
		var counts bool
		switch m {
		case OnRoster:
			counts = onRoster
		case MembersOnRoster:
			counts = member
		case StillProbationary:
			counts = member && (p.FullOn.IsZero() || p.FullOn.After(d))
		case YoungMembers:
			counts = member && !p.BirthDate.IsZero() && p.BirthDate.After(d.AddDate(-35, 0, 0))
		case HonouredMembers:
			counts = member && !p.FullOn.IsZero() && !p.FullOn.After(d.AddDate(-50, 0, 0))
		case BecameActivist:
			counts = notAfter(p.ActivistOn)
		case BecameCandidate:
			counts = notAfter(p.CandidateOn)
		case Admitted:
			counts = notAfter(p.JoinedOn)
		case BecameFull:
			counts = notAfter(p.FullOn)
		}
		if counts {
			n++
		}
	}
	return n
}

// randomPeople are people of every standing with dates around the edges
// that matter: leap days, birthdays, a transfer in after joining.
func randomPeople(r *rand.Rand, n int) []Counted {
	day := func(from, to int) date.Date {
		if r.IntN(6) == 0 {
			return date.Date{}
		}
		d := date.Of(from+r.IntN(to-from), 1, 1).AddDate(0, 0, r.IntN(366))
		if r.IntN(8) == 0 {
			d = date.Of(d.Year()-d.Year()%4, 2, 29)
		}
		return d
	}
	statuses := []Status{Full, Full, Probationary, Candidate, Activist, Masses}
	list := make([]Counted, n)
	for i := range list {
		p := Counted{Status: statuses[r.IntN(len(statuses))], BirthDate: day(1940, 2004)}
		p.ActivistOn, p.CandidateOn = day(1960, 2027), day(1960, 2027)
		p.JoinedOn, p.FullOn = day(1960, 2027), day(1960, 2027)
		if r.IntN(4) == 0 {
			p.LeftOn = day(1990, 2028)
		}
		if r.IntN(4) == 0 {
			p.ArrivedOn = day(1990, 2028)
		}
		list[i] = p
	}
	return list
}

func TestHeadcountsCountAsThePeopleDoOnEveryDay(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	list := randomPeople(r, 400)
	h := CountHeadcounts(list)
	// Added up from two halves written out, as a subtree adds its
	// organisations' rows.
	var sum HeadcountSum
	for _, part := range [][]Counted{list[:150], list[150:]} {
		h := CountHeadcounts(part)
		if err := sum.AddEncoded(h.Encode()); err != nil {
			t.Fatal(err)
		}
	}
	halves := sum.Headcounts()
	days := []date.Date{date.Of(2026, 11, 27), date.Of(2025, 11, 27), date.Of(2024, 2, 29), date.Of(2026, 2, 28), date.Of(2026, 3, 1), date.Of(1900, 1, 1)}
	for range 300 {
		days = append(days, date.Of(1960+r.IntN(70), 1, 1).AddDate(0, 0, r.IntN(366)))
	}
	for m := range NumMeasures {
		for _, d := range days {
			want := onDay(list, m, d)
			if got := h.At(m, d); got != want {
				t.Fatalf("measure %d on %s: %d, counting the people %d", m, d, got, want)
			}
			if got := halves.At(m, d); got != want {
				t.Fatalf("measure %d on %s added up from two halves: %d, want %d", m, d, got, want)
			}
		}
	}
	from, to := date.Of(2026, 1, 1), date.Of(2026, 6, 30)
	want := onDay(list, Admitted, to) - onDay(list, Admitted, from.AddDate(0, 0, -1))
	if got := h.Between(Admitted, from, to); got != want || want == 0 {
		t.Fatalf("admitted in the first half of 2026: %d, want %d (not 0)", got, want)
	}
}

func TestYoungUntilTheDayBeforeTurning35(t *testing.T) {
	p := Counted{Status: Full, JoinedOn: date.Of(2015, 7, 1), BirthDate: date.Of(1992, 2, 29)}
	h := CountHeadcounts([]Counted{p})
	for _, c := range []struct {
		day  date.Date
		want int
	}{{date.Of(2027, 2, 28), 1}, {date.Of(2027, 3, 1), 0}} {
		if got := h.At(YoungMembers, c.day); got != c.want {
			t.Errorf("born 29 February 1992, young on %s: %d, want %d", c.day, got, c.want)
		}
	}
}

func TestHeadcountsReadBackAsWritten(t *testing.T) {
	h := CountHeadcounts(randomPeople(rand.New(rand.NewPCG(3, 4)), 50))
	back, err := decode(h.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if back.Encode() != h.Encode() {
		t.Fatalf("read back differs:\n%s\n%s", back.Encode(), h.Encode())
	}
	var empty Headcounts
	if back, err := decode(empty.Encode()); err != nil || back.At(OnRoster, date.Of(2026, 1, 1)) != 0 {
		t.Fatalf("no people: %v", err)
	}
	for _, bad := range []string{"", "20260101+1", "x;;;;;;;;", "20260101;;;;;;;;", "20260101+0;;;;;;;;", "20260102+1,20260101-1;;;;;;;;", "-5+1;;;;;;;;",
		"20260101+1,;;;;;;;;", ",20260101+1;;;;;;;;", "20260101+1;;;;;;;;;", "1234567890+1;;;;;;;;", "20260101+1 ;;;;;;;;"} {
		if _, err := decode(bad); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}

// decode reads one organisation's headcounts the way the store adds up a
// subtree's.
func decode(s string) (Headcounts, error) {
	var sum HeadcountSum
	err := sum.AddEncoded(s)
	return sum.Headcounts(), err
}

func FuzzDecodeHeadcounts(f *testing.F) {
	h := CountHeadcounts(randomPeople(rand.New(rand.NewPCG(5, 6)), 5))
	f.Add(h.Encode())
	f.Add(";;;;;;;;")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := decode(s)
		if err != nil {
			return
		}
		back, err := decode(h.Encode())
		if err != nil || back.Encode() != h.Encode() {
			t.Fatalf("%q: read back %v", s, err)
		}
	})
}
