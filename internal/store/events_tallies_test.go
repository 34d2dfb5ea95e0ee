package store_test

import (
	"context"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/learning"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestTalliesFollowEveryWrite: the figures' precomputed rows (each event's
// marks, speakers and decisions added up, and who was reached by learning
// per organisation and year) are kept by the database in the same
// transaction as the records, whatever writes them: marks by the secretary
// and by QR, make-ups, speakers and decisions, a list that changes, an event held, moved across a year's end, moved to another
// day, cancelled, no longer counting as learning, deleted by hand. After every step they
// equal a count from scratch, and the figures read from them equal the
// events read one by one, for spans that read the rows and spans that read
// the marks.
func TestTalliesFollowEveryWrite(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, nil))
		spans := []event.Span{
			{Start: date.MustParse("2026-01-01"), End: date.MustParse("2027-01-01")}, // a year: the rows
			{Start: date.MustParse("2025-01-01"), End: date.MustParse("2027-01-01")}, // two years
			{Start: date.MustParse("2026-01-01"), End: date.MustParse("2026-07-01")}, // begins a year
			{Start: date.MustParse("2026-03-11"), End: date.MustParse("2027-01-01")}, // ends one
			{Start: date.MustParse("2025-07-01"), End: date.MustParse("2026-03-11")}, // across a year's end
			{Start: date.MustParse("2026-03-01"), End: date.MustParse("2026-04-01")}, // inside a year: the marks
		}
		check := func(step string) {
			t.Helper()
			drift, err := w.s.TalliesDriftForTest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(drift) > 0 {
				t.Fatalf("%s: the precomputed rows drifted from the marks:\n%s", step, strings.Join(drift, "\n"))
			}
			for _, sub := range []auth.Scope{{OrgPath: w.tr.committee.Path}, {OrgPath: w.tr.b1.Path}} {
				for _, span := range spans {
					in, err := w.s.EventFigureInput(ctx, auth.Everything, orgAt(w, sub.OrgPath), span)
					if err != nil {
						t.Fatal(err)
					}
					one, err := w.s.EventsOneByOneForTest(ctx, sub, span)
					if err != nil {
						t.Fatal(err)
					}
					got, want := event.Compute(in), event.Compute(one)
					if got.PersonTimes != want.PersonTimes || got.Attendance != want.Attendance || got.Coverage != want.Coverage ||
						got.MadeUp != want.MadeUp || got.Held != want.Held || got.Hours != want.Hours ||
						got.SpeakerTimes != want.SpeakerTimes || got.Decisions != want.Decisions {
						t.Errorf("%s, %s %s–%s: read %+v, one by one %+v", step, sub.OrgPath, span.Start, span.Last(), got, want)
					}
				}
			}
			// 学时 of whole months are read from learning_credit, of whole
			// years from learning_credit_year: they equal the marks added up.
			for _, span := range spans {
				if span.Start.Day() != 1 || span.End.Day() != 1 {
					continue
				}
				got, _, err := w.s.LearningHours(ctx, auth.Everything, w.tr.committee.ID, span)
				if err != nil {
					t.Fatal(err)
				}
				want, err := w.s.LearningHoursFromMarksForTest(ctx, auth.Everything, w.tr.committee.ID, span)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s, 学时 %s–%s: read %+v, from the marks %+v", step, span.Start, span.Last(), got, want)
				}
				// 学时达标率 reads the same without names, whole years in one
				// statement with the members.
				figure, err := w.s.LearningStandingsForTest(ctx, auth.Everything, w.tr.committee.ID, span)
				if err != nil {
					t.Fatal(err)
				}
				type standing struct {
					earned, required event.Hours
					sessions         int
					committee        bool
				}
				of := func(list []learning.Standing) map[int64]standing {
					m := map[int64]standing{}
					for _, s := range list {
						m[s.PersonID] = standing{s.Earned, s.Required, s.Sessions, s.Committee}
					}
					return m
				}
				if f, m := of(figure), of(want); !maps.Equal(f, m) || len(figure) != len(want) {
					t.Errorf("%s, 学时达标率's standings %s–%s: %+v, from the marks %+v", step, span.Start, span.Last(), f, m)
				}
			}
		}
		P, L, A := event.Present, event.Leave, event.Absent
		check("nothing yet")

		study := w.plan(t, w.tr.b1.ID, "study_session", "2026-03-10")
		lecture := w.plan(t, w.tr.b1.ID, "party_lecture", "2026-05-10")
		congress := w.plan(t, w.tr.b1.ID, "branch_congress", "2026-03-20")
		forum := w.plan(t, w.tr.committee.ID, "forum", "2026-06-01", w.li.ID, w.liu.ID)
		check("planned, no list")
		for _, e := range []*event.Event{study, lecture, congress, forum} {
			w.hold(t, e)
		}
		check("held: the lists frozen, nobody marked")

		w.mark(t, study, "2026-03-10", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: A, w.zhao.ID: P},
			event.MarkInput{PersonID: w.wang.ID, Day: date.MustParse("2026-03-10"), Mark: L, LeaveReason: "出差", MadeUpOn: date.MustParse("2026-03-15"), MakeupHow: "自学"})
		w.mark(t, lecture, "2026-05-10", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P})
		w.mark(t, congress, "2026-03-20", map[int64]event.Mark{w.zhang.ID: P})
		check("marked, one made up")

		lecture.Speakers = []event.Speaker{{PersonID: w.zhang.ID, Topic: "书记讲党课"}, {Name: "陈教授", Title: "市委党校教授"}}
		congress.Decisions = []event.Decision{{Content: "通过年度学习计划"}, {Content: "确定发展对象"}}
		for _, e := range []*event.Event{lecture, congress} {
			if err := w.s.UpdateEvent(ctx, admin, auth.Everything, e, nil, false); err != nil {
				t.Fatal(err)
			}
		}
		check("speakers and decisions recorded")
		lecture.Credit += 5
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, lecture, nil, false); err != nil {
			t.Fatal(err)
		}
		check("a lecture's 学时 raised")
		lecture.Speakers, congress.Decisions = lecture.Speakers[:1], nil
		for _, e := range []*event.Event{lecture, congress} {
			if err := w.s.UpdateEvent(ctx, admin, auth.Everything, e, nil, false); err != nil {
				t.Fatal(err)
			}
		}
		check("a speaker and the decisions taken off")

		// Whose talk counts as the secretary's (书记讲党课) follows the seats:
		// 张伟 leaves the 书记 seat before the 党课 he spoke at, then takes
		// it again from the day before.
		seats, err := w.s.Committee(ctx, auth.Everything, w.tr.b1.ID)
		if err != nil || len(seats) == 0 || seats[0].Position != "书记" {
			t.Fatalf("第一党支部's 书记: %+v %v", seats, err)
		}
		if err := w.s.EndCommitteeMember(ctx, admin, auth.Everything, w.tr.b1.ID, seats[0].ID, date.MustParse("2026-05-01")); err != nil {
			t.Fatal(err)
		}
		check("the secretary's seat ended before his 党课")
		if err := w.s.AddCommitteeMember(ctx, admin, auth.Everything, &org.CommitteeMember{OrgID: w.tr.b1.ID, PersonID: w.zhang.ID,
			Position: "书记", From: date.MustParse("2026-05-09")}); err != nil {
			t.Fatal(err)
		}
		check("the secretary seated again before his 党课")

		if _, err := w.s.SignIn(ctx, admin, study.ID, w.li.ID, date.MustParse("2026-03-10")); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.SignIn(ctx, admin, forum.ID, w.liu.ID, date.MustParse("2026-06-01")); err != nil {
			t.Fatal(err)
		}
		check("two QR sign-ins")
		fold := func(step string) {
			t.Helper()
			n, err := w.s.FoldTallies(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// PostgreSQL's marks leave differences to fold; SQLite's update
			// their events at once.
			if (d == store.Postgres) != (n > 0) {
				t.Errorf("%s: %d differences folded on %s", step, n, d)
			}
			check(step + ", folded")
		}
		fold("two QR sign-ins")

		w.mark(t, study, "2026-03-10", map[int64]event.Mark{w.zhang.ID: A})
		check("present changed to absent")

		forum.PlannedStart, forum.PlannedEnd = at("2026-06-01", "09:00"), at("2026-06-01", "11:00")
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, forum, []int64{w.liu.ID}, true); err != nil {
			t.Fatal(err)
		}
		check("one person taken off a chosen list")

		// A held event moves only while nobody is marked: its list moves with it.
		early := w.plan(t, w.tr.b1.ID, "study_session", "2026-01-05")
		other := w.plan(t, w.tr.b1.ID, "reading_class", "2026-02-02")
		w.hold(t, early)
		w.hold(t, other)
		check("two more held, nobody marked")
		move := func(e *event.Event, from, to string) {
			t.Helper()
			e.PlannedStart, e.PlannedEnd = at(from, "09:00"), at(to, "17:00")
			e.HeldStart, e.HeldEnd = e.PlannedStart, e.PlannedEnd
			if err := w.s.UpdateEvent(ctx, admin, auth.Everything, e, nil, false); err != nil {
				t.Fatal(err)
			}
		}
		move(early, "2025-12-30", "2025-12-30")
		check("moved to the year before")
		w.mark(t, early, "2025-12-30", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P})
		check("marked on its new day")
		move(other, "2026-03-12", "2026-03-13")
		w.mark(t, other, "2026-03-13", map[int64]event.Mark{w.wang.ID: P})
		check("moved inside the year, two days, marked on the second")

		k := w.kinds["study_session"]
		credit := k.Credit
		k.CountsAsLearning, k.Credit = false, 0
		if err := w.s.SaveEventKind(ctx, admin, &k); err != nil {
			t.Fatal(err)
		}
		check("集中学习 no longer learning")
		k.CountsAsLearning, k.Credit = true, credit
		if err := w.s.SaveEventKind(ctx, admin, &k); err != nil {
			t.Fatal(err)
		}
		check("集中学习 learning again")

		congress.AlsoKinds = []int64{w.kinds["study_session"].ID}
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, congress, nil, false); err != nil {
			t.Fatal(err)
		}
		check("a 支部党员大会 also counted as 集中学习")

		other.Status, other.CancelReason, other.HeldStart, other.HeldEnd = event.Cancelled, "改期", time.Time{}, time.Time{}
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, other, nil, false); err != nil {
			t.Fatal(err)
		}
		check("cancelled")
		fold("cancelled")

		// 第一党支部 moved under another committee and back: the totals of
		// both committees follow its events.
		county := &org.Org{Kind: org.Committee, Name: "县委政法委机关党委"}
		if err := w.s.CreateOrg(ctx, admin, auth.Everything, county); err != nil {
			t.Fatal(err)
		}
		for _, to := range []int64{county.ID, w.tr.committee.ID} {
			if err := w.s.MoveOrg(ctx, admin, auth.Everything, w.tr.b1.ID, to, w.tr.b1.Version); err != nil {
				t.Fatal(err)
			}
			b1, err := w.s.Org(ctx, auth.Everything, w.tr.b1.ID)
			if err != nil {
				t.Fatal(err)
			}
			w.tr.b1 = *b1
			check("第一党支部 moved to " + b1.Path)
		}

		// Nothing in the platform deletes an event; one deleted by hand,
		// its marks and kinds first, leaves the totals too. What the store
		// keeps of the months (held_months) is not followed by hand: the
		// next upgrade writes it afresh.
		for _, q := range []string{"DELETE FROM event_attendance WHERE event_id = ?", "DELETE FROM event_kind_links WHERE event_id = ?", "DELETE FROM events WHERE id = ?"} {
			if err := w.s.ExecForTest(ctx, q, early.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.s.MigrateAgainForTest(ctx, 300); err != nil {
			t.Fatal(err)
		}
		check("a held event deleted by hand")

		drift, err := w.s.TalliesDriftForTest(ctx)
		if err != nil || len(drift) != 0 {
			t.Fatalf("%v %v", drift, err)
		}
		in, err := w.s.EventFigureInput(ctx, auth.Everything, w.tr.b1.ID, spans[0])
		if err != nil {
			t.Fatal(err)
		}
		if in.LearningExpected == 0 || in.LearningCovered == 0 {
			t.Fatalf("the test ends with nobody reached by learning in 2026 (%+v): it proves nothing", in)
		}
	})
}

// orgAt is the organisation of w's tree at path.
func orgAt(w *eventWorld, path string) int64 {
	for _, o := range []struct {
		path string
		id   int64
	}{{w.tr.committee.Path, w.tr.committee.ID}, {w.tr.b1.Path, w.tr.b1.ID}, {w.tr.b2.Path, w.tr.b2.ID}} {
		if o.path == path {
			return o.id
		}
	}
	panic("no organisation at " + path)
}

// Two people recording events of one branch's year at the same moment
// (several instances on one PostgreSQL): each transaction counts the year
// again, and the second waits for the first, so neither fails on the row
// the other wrote nor leaves the other's event out.
func TestHeldMonthsFollowMeetingsRecordedAtOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newEventWorld(t, storetest.Open(t, d, storetest.NewClock().Now))
		ctx := context.Background()
		var g errgroup.Group
		for i := range 8 {
			g.Go(func() error {
				for j := range 3 {
					day := date.Of(2026, time.Month(1+j), 1+i)
					start := time.Date(day.Year(), day.Month(), day.Day(), 1, 0, 0, 0, time.UTC)
					e := &event.Event{OrgID: w.tr.b1.ID, KindID: w.kinds["integrity_talk"].ID, Title: "廉政谈话", Status: event.Held, Audience: event.Chosen,
						PlannedStart: start, PlannedEnd: start.Add(time.Hour), HeldStart: start, HeldEnd: start.Add(time.Hour)}
					if err := w.s.CreateEvent(ctx, admin, auth.Everything, e, nil); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
		drift, err := w.s.TalliesDriftForTest(ctx)
		if err != nil || len(drift) != 0 {
			t.Fatalf("meetings recorded at once: %v %v", drift, err)
		}
		data, err := w.s.EventCalendarData(ctx, auth.Everything, w.tr.b1.ID, date.Of(2026, time.January, 1), date.Of(2026, time.April, 1), date.Of(2026, time.March, 31))
		if err != nil {
			t.Fatal(err)
		}
		talk := w.kinds["integrity_talk"].ID // no list to freeze: nothing else makes the two wait
		for _, h := range data.Held {
			if h.OrgID == w.tr.b1.ID && h.Year == 2026 && (h.Kinds[talk] == nil || h.Kinds[talk].Held != [12]int{8, 8, 8}) {
				t.Errorf("廉政谈话 of 2026 by month: %v, want the 8 recorded in each of January to March", h.Kinds[talk])
			}
		}
	})
}
