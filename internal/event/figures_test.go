package event

import (
	"testing"
	"time"

	"dangjian/internal/date"
)

// TestFiguresByHand computes the figures of a hand-counted half year:
//
//	event 1 集中学习 (learning, 2 学时): 10 expected, 8 present, 1 leave made up, 1 absent; 1 speaker
//	event 2 读书班 (learning, 6 学时 a day, 2 days): 2×5 expected marks, 9 present + 1 walk-in present, 1 made up
//	event 3 支委会 (not learning) also counted as 主题党日: 5 expected, 3 present; 4 decisions
//	event 4 走访 (no attendance), 0 marks
//
// distinct people at learning events: 12 expected, 11 covered; roster 20.
func TestFiguresByHand(t *testing.T) {
	in := FigureInput{
		Tallies: []Tally{
			{Events: 1, Learning: true, Credit: 20, Expected: 10, Present: 8, PresentExpected: 8, MadeUp: 1, Speakers: 1},
			{Events: 1, Learning: true, Credit: 60, Expected: 10, Present: 10, PresentExpected: 9, MadeUp: 1, Speakers: 2},
			{Events: 1, Credit: 0, Expected: 5, Present: 3, PresentExpected: 3, Decisions: 4, Speakers: 1},
			{Events: 1},
		},
		HeldByKind:       map[int64]int{10: 1, 11: 1, 12: 1, 13: 1, 14: 1},
		LearningExpected: 12, LearningCovered: 11, Roster: 20, NoteChars: 0,
	}
	f := Compute(in)
	check := func(name string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("events held", f.Held, 4)
	check("held as 支委会", f.HeldByKind[12], 1)
	check("held as 主题党日 too", f.HeldByKind[13], 1)
	check("learning events", f.LearningEvents, 2)
	check("人次 (present at learning events, make-ups apart)", f.PersonTimes, 18)
	check("make-ups", f.MadeUp, 2)
	check("coverage", f.Coverage, Ratio{11, 12})
	check("attendance (present of the expected ÷ expected marks)", f.Attendance, Ratio{20, 25})
	check("decisions", f.Decisions, 4)
	check("授课人次 (speakers at learning events)", f.SpeakerTimes, 3)
	// 学时: 2×(8+1) + 6×(10+1) = 18 + 66 = 84
	check("学时", f.Hours, Hours(840))
	check("学时 per person", f.HoursPerCapita, 4.2)
	check("notes per person", f.NotesPerCapita, 0.0)

	prev := Compute(FigureInput{Tallies: []Tally{{Events: 1, Learning: true, Credit: 20, Expected: 16, Present: 15, PresentExpected: 15}},
		LearningExpected: 16, LearningCovered: 15, Roster: 16})
	check("人次 change", CountChange(float64(f.PersonTimes), float64(prev.PersonTimes)), Change{Percent: 20, OK: true})
	// coverage 11/12 = 91.67% against 15/16 = 93.75%: −2.1 points
	check("coverage change", RateChange(f.Coverage, prev.Coverage), Change{Points: -2.1, OK: true})
	check("change against nothing", CountChange(5, 0), Change{})
}

func TestHoursText(t *testing.T) {
	for text, h := range map[string]Hours{"0": 0, "2": 20, "2.5": 25, "0.5": 5, "12": 120} {
		if h.String() != text {
			t.Errorf("Hours(%d) = %q, want %q", int(h), h.String(), text)
		}
		if got, ok := ParseHours(text); !ok || got != h {
			t.Errorf("ParseHours(%q) = %d, %v", text, got, ok)
		}
	}
	for _, bad := range []string{"2.25", "-1", "abc", "1.", ".5x"} {
		if _, ok := ParseHours(bad); ok {
			t.Errorf("ParseHours(%q) accepted", bad)
		}
	}
}

// TestByMonth splits a quarter by month: every month appears, empty ones
// too, and each month's figures are what Compute gives for its events alone.
func TestByMonth(t *testing.T) {
	jan, feb, mar := date.Of(2026, time.January, 31), date.Of(2026, time.February, 1), date.Of(2026, time.March, 1)
	in := FigureInput{Span: Span{Start: date.Of(2026, time.January, 1), End: date.Of(2026, time.April, 1)}, Tallies: []Tally{
		{Events: 1, HeldOn: jan, Learning: true, Present: 7},
		{Events: 1, HeldOn: jan, Present: 5}, // not learning: held, no 人次
		{Events: 2, HeldOn: mar, Learning: true, Present: 9},
	}}
	got := ByMonth(in)
	want := []MonthTotal{{Start: date.Of(2026, time.January, 1), Held: 2, PersonTimes: 7},
		{Start: feb, Held: 0, PersonTimes: 0}, {Start: mar, Held: 2, PersonTimes: 9}}
	if len(got) != len(want) {
		t.Fatalf("ByMonth gave %d months, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Start.String() != want[i].Start.String() || got[i].Held != want[i].Held || got[i].PersonTimes != want[i].PersonTimes {
			t.Errorf("month %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
	for i, m := range got {
		var only FigureInput
		for _, e := range in.Tallies {
			if e.HeldOn.Month() == m.Start.Month() {
				only.Tallies = append(only.Tallies, e)
			}
		}
		if f := Compute(only); f.Held != m.Held || f.PersonTimes != m.PersonTimes {
			t.Errorf("month %d: Compute on its events gives %d/%d, ByMonth %d/%d", i+1, f.Held, f.PersonTimes, m.Held, m.PersonTimes)
		}
	}
}

// TestTalliesAddUp: two events of one day with the same learning flag and
// credit give the same figures whether the store hands them over one by one
// or as one tally of both.
func TestTalliesAddUp(t *testing.T) {
	day := date.Of(2026, time.March, 3)
	a := Tally{HeldOn: day, Learning: true, Credit: 20, Events: 1, Expected: 10, Present: 8, PresentExpected: 7, MadeUp: 2, Speakers: 1}
	b := Tally{HeldOn: day, Learning: true, Credit: 20, Events: 1, Expected: 6, Present: 6, PresentExpected: 6, Decisions: 3}
	both := Tally{HeldOn: day, Learning: true, Credit: 20, Events: 2, Expected: 16, Present: 14, PresentExpected: 13, MadeUp: 2, Speakers: 1, Decisions: 3}
	kinds := map[int64]int{7: 2}
	one := Compute(FigureInput{Tallies: []Tally{a, b}, HeldByKind: kinds, Roster: 30})
	grouped := Compute(FigureInput{Tallies: []Tally{both}, HeldByKind: kinds, Roster: 30})
	if one.Held != 2 || one.LearningEvents != 2 || one.Hours != Hours(20*(14+2)) {
		t.Fatalf("one by one: %+v", one)
	}
	if one.Held != grouped.Held || one.LearningEvents != grouped.LearningEvents || one.PersonTimes != grouped.PersonTimes ||
		one.MadeUp != grouped.MadeUp || one.Attendance != grouped.Attendance || one.Hours != grouped.Hours ||
		one.SpeakerTimes != grouped.SpeakerTimes || one.Decisions != grouped.Decisions || one.HoursPerCapita != grouped.HoursPerCapita {
		t.Errorf("one by one %+v, grouped %+v", one, grouped)
	}
	kinds[7] = 99 // Compute keeps its own copy
	if one.HeldByKind[7] != 2 {
		t.Errorf("HeldByKind follows the input's map after Compute: %v", one.HeldByKind)
	}
}
