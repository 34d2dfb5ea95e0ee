package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// mark applies marks to one day of an event.
func (w *eventWorld) mark(t *testing.T, e *event.Event, day string, marks map[int64]event.Mark, extra ...event.MarkInput) {
	t.Helper()
	var list []event.MarkInput
	for id, m := range marks {
		in := event.MarkInput{PersonID: id, Day: date.MustParse(day), Mark: m}
		if m == event.Leave {
			in.LeaveReason = "出差"
		}
		list = append(list, in)
	}
	if _, err := w.s.MarkAttendance(context.Background(), admin, auth.Everything, e.ID, append(list, extra...), event.BySecretary); err != nil {
		t.Fatalf("mark %s %s: %v", e.Title, day, err)
	}
}

// TestFiguresHandCounted builds a half year of 第一党支部 and the same half
// a year earlier, and checks every figure against a count made by hand.
func TestFiguresHandCounted(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		// The organisations were entered two years before the records are
		// read, so the calendar judges the whole of 2026.
		clock := storetest.NewClock()
		clock.Advance(-2 * 365 * 24 * time.Hour)
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		P, L, A := event.Present, event.Leave, event.Absent
		// 钱进 left on 1 March 2026: on the roster at the end of 2025's half, not 2026's.
		qian := newPerson(w.tr.b1.ID, "钱进", "19700707", "007")
		if err := w.s.CreatePerson(ctx, admin, auth.Everything, &qian); err != nil {
			t.Fatal(err)
		}
		if err := w.s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: qian.ID, Direction: people.TransferOut,
			On: date.MustParse("2026-03-01"), External: "外单位"}); err != nil {
			t.Fatal(err)
		}

		// 2026 H1.
		e1 := w.plan(t, w.tr.b1.ID, "study_session", "2026-03-10")
		e1.Speakers = []event.Speaker{{Name: "陈教授", Title: "市委党校教授", Topic: "党史专题"}}
		w.hold(t, e1)
		w.mark(t, e1, "2026-03-10", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P, w.zhao.ID: A},
			event.MarkInput{PersonID: w.wang.ID, Mark: L, LeaveReason: "出差", MadeUpOn: date.MustParse("2026-03-15"), MakeupHow: "自学"})

		e2 := w.plan(t, w.tr.b1.ID, "reading_class", "2026-06-15")
		e2.PlannedStart, e2.PlannedEnd = at("2026-06-15", "08:30"), at("2026-06-16", "17:00")
		e2.Speakers = []event.Speaker{{PersonID: w.zhang.ID}, {Name: "周研究员", Title: "史志研究中心主任"}}
		w.hold(t, e2)
		w.mark(t, e2, "2026-06-15", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P, w.wang.ID: P, w.zhao.ID: A})
		w.mark(t, e2, "2026-06-16", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: A, w.wang.ID: P}) // 赵敏 never marked

		e3 := w.plan(t, w.tr.b1.ID, "branch_committee", "2026-05-05")
		e3.AlsoKinds = []int64{w.kinds["org_life"].ID}
		e3.Decisions = []event.Decision{{Content: "通过年度学习计划"}, {Content: "确定发展对象"}}
		w.hold(t, e3)
		w.mark(t, e3, "2026-05-05", map[int64]event.Mark{w.zhang.ID: P})

		visit := w.kinds["visit"]
		e4 := w.plan(t, w.tr.b1.ID, "visit", "2026-04-01")
		e4.Measures = []event.MeasureValue{{MeasureID: visit.Measures[0].ID, Value: 3}, {MeasureID: visit.Measures[1].ID, Value: 1000}}
		w.hold(t, e4)

		lecture := w.plan(t, w.tr.b1.ID, "party_lecture", "2026-02-01")
		lecture.Speakers = []event.Speaker{{PersonID: w.zhang.ID, Topic: "书记讲党课"}}
		w.hold(t, lecture)
		w.mark(t, lecture, "2026-02-01", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P, w.wang.ID: P})

		w.plan(t, w.tr.b1.ID, "study_session", "2026-06-20") // planned, not held: not counted
		cancelled := w.plan(t, w.tr.b1.ID, "study_session", "2026-06-21")
		cancelled.Status, cancelled.CancelReason = event.Cancelled, "改期"
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, cancelled, nil, false); err != nil {
			t.Fatal(err)
		}
		e6 := w.plan(t, w.tr.b2.ID, "theme_day", "2026-04-20") // 第二党支部's
		w.hold(t, e6)
		w.mark(t, e6, "2026-04-20", map[int64]event.Mark{w.liu.ID: P})

		// 2025 H1.
		p1 := w.plan(t, w.tr.b1.ID, "study_session", "2025-04-01")
		w.hold(t, p1)
		w.mark(t, p1, "2025-04-01", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P, w.wang.ID: A, w.zhao.ID: P})
		// 李娜 leaves after the half year: still on its roster at its end.
		if err := w.s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: w.li.ID, Direction: people.TransferOut,
			On: date.MustParse("2026-07-01"), External: "外单位"}); err != nil {
			t.Fatal(err)
		}

		half := event.Span{Start: date.MustParse("2026-01-01"), End: date.MustParse("2026-07-01")}
		figures := func(orgID int64, span event.Span) event.Figures {
			t.Helper()
			in, err := w.s.EventFigureInput(ctx, auth.Scope{OrgPath: w.tr.committee.Path}, orgID, span)
			if err != nil {
				t.Fatal(err)
			}
			return event.Compute(in)
		}
		f := figures(w.tr.b1.ID, half)
		check := func(name string, got, want any) {
			t.Helper()
			if got != want {
				t.Errorf("%s = %v, want %v", name, got, want)
			}
		}
		// E1, E2, E3 (as 支委会 and 组织生活会), E4, the 党课.
		check("events held", f.Held, 5)
		check("集中学习 held", f.HeldByKind[w.kinds["study_session"].ID], 1)
		check("组织生活会 held (E3 counts as one too)", f.HeldByKind[w.kinds["org_life"].ID], 1)
		check("learning events (E1, E2, 党课)", f.LearningEvents, 3)
		// 人次: E1 2 + E2 (3 + 2) + 党课 3 = 10
		check("人次", f.PersonTimes, 10)
		check("make-ups", f.MadeUp, 1)
		// expected marks: E1 4 + E2 8 + E3 1 + 党课 3 (members) = 16; present of them 2 + 5 + 1 + 3 = 11
		check("attendance", f.Attendance, event.Ratio{Num: 11, Den: 16})
		// 张伟, 李娜, 王芳 (made up E1) covered; 赵敏 never: 3 of 4
		check("coverage", f.Coverage, event.Ratio{Num: 3, Den: 4})
		check("decisions", f.Decisions, 2)
		// speakers at learning events: E1 1 + E2 2 + 党课 1
		check("授课人次", f.SpeakerTimes, 4)
		// 学时: E1 2×(2+1) + E2 6×5 + 党课 2×3 = 6 + 30 + 6 = 42
		check("学时", f.Hours, event.Hours(420))
		// on the roster on 30 June 2026: 张伟, 李娜 (left 1 July), 王芳, 赵敏; not 钱进
		check("roster at the end", f.Roster, 4)
		check("学时 per person", f.HoursPerCapita, 10.5)

		prev := figures(w.tr.b1.ID, half.YearEarlier())
		check("a year earlier: events held", prev.Held, 1)
		check("a year earlier: 人次", prev.PersonTimes, 3)
		check("a year earlier: coverage", prev.Coverage, event.Ratio{Num: 3, Den: 4})
		check("a year earlier: roster (钱进 still there)", prev.Roster, 5)
		check("a year earlier: 学时 per person", prev.HoursPerCapita, 1.2)
		check("人次 against a year earlier", event.CountChange(float64(f.PersonTimes), float64(prev.PersonTimes)), event.Change{Percent: 233.3, OK: true})

		all := figures(w.tr.committee.ID, half)
		check("the committee's events held (第二党支部's too)", all.Held, 6)
		check("the committee's 人次", all.PersonTimes, 11)
		check("the committee's coverage", all.Coverage, event.Ratio{Num: 4, Den: 5})

		// The same figures through the indicator catalogue, as the summary reads
		// them, with the change on a year earlier written as the seeds write it.
		cat, err := indicator.NewCatalogue(w.s.EventIndicators())
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ code, text, change string }{
			{"learning.person_times", "10人次", "较上年同期提升233%"},
			{"learning.coverage", "75%", "与上年同期持平"},
			{"events.held.study_session", "1次", ""},
			{"events.decisions", "2项", ""},
			{"learning.hours_per_capita", "10.5学时", ""},
		} {
			fig, err := cat.Figure(ctx, tc.code, auth.Scope{OrgPath: w.tr.b1.Path}, indicator.HalfYear(2026, 1))
			if err != nil {
				t.Fatal(err)
			}
			if fig.Text != tc.text || (tc.change != "" && fig.ChangeText != tc.change) {
				t.Errorf("catalogue %s: %s %s, want %s %s", tc.code, fig.Text, fig.ChangeText, tc.text, tc.change)
			}
		}

		totals, err := w.s.EventMeasureTotals(ctx, auth.Everything, w.tr.b1.ID, half)
		if err != nil || len(totals) != 2 || totals[0].Value != 3 || totals[1].Value != 1000 || totals[1].Unit != "元" {
			t.Errorf("measure totals: %+v %v", totals, err)
		}
		people, total, err := w.s.EventPeopleTable(ctx, auth.Everything, w.tr.b1.ID, half, 50, 0)
		if err != nil || total != 4 {
			t.Fatalf("people table: %d %v", total, err)
		}
		for _, p := range people {
			if p.Name == "王芳" && (p.Hours != 160 || p.MadeUp != 1 || p.Leave != 1 || p.Present != 3) {
				// 王芳: E1 made up (2) + E2 2 days (12) + 党课 (2) = 16 学时
				t.Errorf("王芳's row: %+v", p)
			}
		}

		// The compliance calendar from the same records: May's 支委会 met,
		// the year's 组织生活会 met by E3, the secretary's 党课 met.
		today := date.MustParse("2026-06-30")
		data, err := w.s.EventCalendarData(ctx, auth.Everything, w.tr.b1.ID, date.MustParse("2026-01-01"), date.MustParse("2027-01-01"), today)
		if err != nil {
			t.Fatal(err)
		}
		checks := slices.Collect(event.Compliance(data.Orgs, data.Rules, data.Held, date.MustParse("2026-01-01"), date.MustParse("2027-01-01"), today))
		states := map[string]event.State{}
		for _, c := range checks {
			key := c.OrgName + " " + c.Rule.KindName + " " + string(c.Rule.Period) + " " + c.Span.Start.String()
			if c.Rule.BySecretary {
				key += " 书记"
			}
			states[key] = c.State
		}
		for key, want := range map[string]event.State{
			"第一党支部 支委会 month 2026-05-01":      event.Met,
			"第一党支部 支委会 month 2026-04-01":      event.Missed,
			"第一党支部 支委会 month 2026-06-01":      event.Due,
			"第一党支部 组织生活会 year 2026-01-01":     event.Met,
			"第一党支部 党课 year 2026-01-01 书记":     event.Met,
			"第一党支部 党课 quarter 2026-04-01":     event.Due,
			"第一党支部 支部党员大会 quarter 2026-01-01": event.Missed,
			"第一党小组 党小组会 month 2026-06-01":     event.Due,
		} {
			if states[key] != want {
				t.Errorf("%s: %q, want %q", key, states[key], want)
			}
		}
		// The 读书班 began on 15 June: the branch's last event counts from that day.
		if idle := event.Idleness(data.Orgs, data.Rules, data.LastByPath, date.MustParse("2026-07-15")); len(idle) != 0 {
			t.Errorf("30 days after its last event the branch is flagged: %+v", idle)
		}
		if idle := event.Idleness(data.Orgs, data.Rules, data.LastByPath, date.MustParse("2026-07-16")); len(idle) != 1 || idle[0].Last != date.MustParse("2026-06-15") || idle[0].Days != 31 {
			t.Errorf("31 days after its last event: %+v", idle)
		}
	})
}

// TestLearningFlagFollowsKinds: whether an event counts as learning is kept
// with the event (figures over a province's marks read a column, not a
// subquery per mark). It follows every change that decides it — an event's
// own kinds, the kinds it also counts as, a kind switched to or from
// counting as learning — and always equals the computation from its kinds.
func TestLearningFlagFollowsKinds(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, nil))
		span := event.Span{Start: date.MustParse("2026-01-01"), End: date.MustParse("2027-01-01")}
		learningEvents := func(step string, want int) {
			t.Helper()
			in, err := w.s.EventFigureInput(ctx, auth.Everything, w.tr.b1.ID, span)
			if err != nil {
				t.Fatal(err)
			}
			if got := event.Compute(in).LearningEvents; got != want {
				t.Errorf("%s: %d learning events, want %d", step, got, want)
			}
			if n, err := w.s.LearningMismatchesForTest(ctx); err != nil || n != 0 {
				t.Errorf("%s: %d events whose stored flag differs from their kinds (%v)", step, n, err)
			}
		}
		lecture := w.plan(t, w.tr.b1.ID, "party_lecture", "2026-03-10")
		w.hold(t, lecture)
		committee := w.plan(t, w.tr.b1.ID, "branch_committee", "2026-03-12")
		w.hold(t, committee)
		learningEvents("a 党课 and a 支委会", 1)

		committee.AlsoKinds = []int64{w.kinds["study_session"].ID}
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, committee, nil, false); err != nil {
			t.Fatal(err)
		}
		learningEvents("the 支委会 also counted as 集中学习", 2)
		committee.AlsoKinds = nil
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, committee, nil, false); err != nil {
			t.Fatal(err)
		}
		learningEvents("no longer counted as 集中学习", 1)

		k := w.kinds["branch_committee"]
		k.CountsAsLearning, k.Credit = true, 20
		if err := w.s.SaveEventKind(ctx, admin, &k); err != nil {
			t.Fatal(err)
		}
		learningEvents("支委会 made a learning kind", 2)
		k.CountsAsLearning, k.Credit = false, 0
		if err := w.s.SaveEventKind(ctx, admin, &k); err != nil {
			t.Fatal(err)
		}
		learningEvents("支委会 no longer a learning kind", 1)
	})
}
