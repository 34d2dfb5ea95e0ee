package store_test

import (
	"context"
	"fmt"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// An organisation entered today whose earlier meetings are recorded after
// the fact is judged from its first recorded meeting: the months since then
// show what was held and what was missed, the months before it nothing.
func TestCalendarJudgesFromTheFirstRecordedEvent(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock() // 2026-06-30: the tree is entered today
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		for _, day := range []string{"2026-03-10", "2026-05-12"} {
			w.hold(t, w.plan(t, w.tr.b1.ID, "branch_committee", day))
		}
		from, to, today := date.MustParse("2026-01-01"), date.MustParse("2026-07-01"), date.MustParse("2026-06-30")
		data, err := w.s.EventCalendarData(context.Background(), auth.Everything, w.tr.b1.ID, from, to, today)
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]event.State{}
		for c := range event.Compliance(data.Orgs, data.Rules, data.Held, from, to, today) {
			if c.OrgID == w.tr.b1.ID && c.Rule.KindID == w.kinds["branch_committee"].ID {
				states[c.Span.Start.String()] = c.State
			}
		}
		want := map[string]event.State{"2026-03-01": event.Met, "2026-04-01": event.Missed, "2026-05-01": event.Met, "2026-06-01": event.Due}
		for month, s := range want {
			if states[month] != s {
				t.Errorf("支委会 %s: %q, want %q (all: %v)", month, states[month], s, states)
			}
		}
		for _, month := range []string{"2026-01-01", "2026-02-01"} {
			if s, ok := states[month]; ok {
				t.Errorf("支委会 %s judged (%q) before the branch's first recorded meeting", month, s)
			}
		}
	})
}

// A 党小组's meeting keeps its branch from being flagged idle (the branch's
// subtree held it); another branch's meeting does not.
func TestIdlenessCountsTheSubtreesMeetings(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock() // 2026-06-30
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		w.hold(t, w.plan(t, w.tr.b1.ID, "branch_committee", "2026-03-10"))
		w.hold(t, w.plan(t, w.tr.g1.ID, "group_meeting", "2026-06-01"))
		w.hold(t, w.plan(t, w.tr.b2.ID, "branch_committee", "2026-06-20"))
		w.hold(t, w.plan(t, w.tr.b2.ID, "branch_committee", "2026-03-01"))
		today := date.MustParse("2026-07-02")
		data, err := w.s.EventCalendarData(context.Background(), auth.Everything, w.tr.committee.ID, date.MustParse("2026-01-01"), date.MustParse("2026-07-03"), today)
		if err != nil {
			t.Fatal(err)
		}
		idle := map[int64]event.IdleOrg{}
		for _, o := range event.Idleness(data.Orgs, data.Rules, data.LastByPath, today) {
			idle[o.OrgID] = o
		}
		if o, ok := idle[w.tr.b1.ID]; !ok || o.Last != date.MustParse("2026-06-01") || o.Days != 31 {
			t.Errorf("第一党支部, whose 党小组 met on 1 June, 31 days later: %+v (flagged %v), want flagged since 2026-06-01", o, ok)
		}
		if o, ok := idle[w.tr.b2.ID]; ok {
			t.Errorf("第二党支部 met on 20 June and is flagged: %+v", o)
		}
		data, err = w.s.EventCalendarData(context.Background(), auth.Everything, w.tr.committee.ID, date.MustParse("2026-01-01"), date.MustParse("2026-07-01"), date.MustParse("2026-06-30"))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range event.Idleness(data.Orgs, data.Rules, data.LastByPath, date.MustParse("2026-06-30")) {
			if o.OrgID == w.tr.b1.ID {
				t.Errorf("29 days after its 党小组 met, 第一党支部 is flagged: %+v", o)
			}
		}
	})
}

// 书记讲党课 counts a 党课 at which the organisation's own secretary of the
// day spoke: not another member's, not another branch's secretary's, and
// not one given before the secretary took the seat.
func TestSecretarysLectureIsTheirOwnBranchsOnly(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock() // 2026-06-30
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		ctx := context.Background()
		// 张伟 has been 第一党支部's 书记 since 2024; 刘洋 becomes 第二党支部's on 1 May.
		if err := w.s.AddCommitteeMember(ctx, admin, auth.Everything, &org.CommitteeMember{OrgID: w.tr.b2.ID, PersonID: w.liu.ID,
			Position: "书记", From: date.MustParse("2026-05-01")}); err != nil {
			t.Fatal(err)
		}
		w.lecture(t, w.tr.b1.ID, "2026-03-10", w.li.ID)    // a member, not the secretary
		w.lecture(t, w.tr.b2.ID, "2026-03-12", w.zhang.ID) // another branch's secretary
		w.lecture(t, w.tr.b2.ID, "2026-04-20", w.liu.ID)   // before his seat
		from, to, today := date.MustParse("2026-01-01"), date.MustParse("2027-01-01"), date.MustParse("2026-06-30")
		states := func() map[int64]event.State {
			t.Helper()
			data, err := w.s.EventCalendarData(ctx, auth.Everything, w.tr.committee.ID, from, to, today)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64]event.State{}
			for c := range event.Compliance(data.Orgs, data.Rules, data.Held, from, to, today) {
				if c.Rule.BySecretary {
					out[c.OrgID] = c.State
				}
			}
			return out
		}
		if got := states(); got[w.tr.b1.ID] == event.Met || got[w.tr.b2.ID] == event.Met {
			t.Fatalf("书记讲党课 met by lectures no secretary of the branch gave: %v", got)
		}
		w.lecture(t, w.tr.b1.ID, "2026-05-10", w.zhang.ID)
		w.lecture(t, w.tr.b2.ID, "2026-06-01", w.liu.ID)
		if got := states(); got[w.tr.b1.ID] != event.Met || got[w.tr.b2.ID] != event.Met {
			t.Fatalf("each branch's secretary gave a 党课, and the rule is %v", got)
		}
	})
}

// The 工作台's checks judge each rule from its last ended period only (a
// monthly rule last month, a yearly one last year): what they judge is what
// the whole calendar judges, an event of two yearly kinds counts for both,
// and no monthly period before last month is judged.
func TestDueChecksReadEachRuleFromItsLastPeriod(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock() // 2026-06-30
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		ctx := context.Background()
		review := w.plan(t, w.tr.b1.ID, "org_life", "2025-12-20") // also the 民主评议: one event, two yearly kinds
		review.AlsoKinds = []int64{w.kinds["democratic_review"].ID}
		w.hold(t, review)
		w.lecture(t, w.tr.b1.ID, "2025-03-01", w.zhang.ID)                // the branch's 书记
		w.lecture(t, w.tr.b1.ID, "2026-06-10", w.zhang.ID)                // the secretary's again
		w.hold(t, w.plan(t, w.tr.b1.ID, "branch_congress", "2026-01-02")) // the first quarter
		w.hold(t, w.plan(t, w.tr.b1.ID, "branch_committee", "2026-03-05"))
		w.hold(t, w.plan(t, w.tr.b1.ID, "branch_committee", "2026-05-03")) // last month
		w.hold(t, w.plan(t, w.tr.b1.ID, "branch_committee", "2026-06-29")) // this month
		today := date.MustParse("2026-06-30")
		to := today.AddDate(0, 0, 1)
		type key struct {
			org, rule int64
			start     date.Date
		}
		full := map[key]event.Check{}
		all, err := w.s.EventCalendarData(ctx, auth.Everything, w.tr.committee.ID, date.MustParse("2025-01-01"), to, today)
		if err != nil {
			t.Fatal(err)
		}
		for c := range event.Compliance(all.Orgs, all.Rules, all.Held, date.MustParse("2025-01-01"), to, today) {
			full[key{c.OrgID, c.Rule.ID, c.Span.Start}] = c
		}
		from := event.SinceLastEnded(today)
		due, err := w.s.EventCalendarFrom(ctx, auth.Everything, w.tr.committee.ID, from, to, today)
		if err != nil {
			t.Fatal(err)
		}
		met := map[string]bool{}
		for c := range event.ComplianceFrom(due.Orgs, due.Rules, due.Held, from, to, today) {
			if c.Span.Start.Before(from(c.Rule)) {
				t.Errorf("%s %s judged from %s, before its last ended period", c.OrgName, c.Rule.KindName, c.Span.Start)
			}
			if want := full[key{c.OrgID, c.Rule.ID, c.Span.Start}]; c != want {
				t.Errorf("%s %s from %s: %+v, the whole calendar says %+v", c.OrgName, c.Rule.KindName, c.Span.Start, c, want)
			}
			if c.OrgID == w.tr.b1.ID && c.State == event.Met {
				met[fmt.Sprintf("%s %s", c.Rule.KindName+map[bool]string{true: "（书记讲）"}[c.Rule.BySecretary], c.Span.Start)] = true
			}
		}
		for _, want := range []string{"组织生活会 2025-01-01", "民主评议党员 2025-01-01", "党课（书记讲） 2025-01-01",
			"支部党员大会 2026-01-01", "支委会 2026-05-01", "支委会 2026-06-01", "党课（书记讲） 2026-01-01", "党课 2026-04-01"} {
			if !met[want] {
				t.Errorf("第一党支部's %s is not met on the 工作台; met: %v", want, met)
			}
		}
	})
}

// lecture holds a 党课 of an organisation on a day with one speaker.
func (w *eventWorld) lecture(t *testing.T, orgID int64, day string, speaker int64) {
	t.Helper()
	e := w.plan(t, orgID, "party_lecture", day)
	e.Speakers = []event.Speaker{{PersonID: speaker, Topic: "党课"}}
	w.hold(t, e)
}

// The calendar counts what was held by the day it is read on: what is
// recorded as held later in the same month, or in a later month, is not
// held yet (the kept months count the whole month; the rest of today's is
// taken away).
func TestCalendarCountsWhatWasHeldByToday(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newEventWorld(t, storetest.Open(t, d, storetest.NewClock().Now))
		ctx := context.Background()
		w.hold(t, w.plan(t, w.tr.b1.ID, "branch_committee", "2026-06-20"))
		w.hold(t, w.plan(t, w.tr.b1.ID, "branch_committee", "2026-07-15"))
		w.lecture(t, w.tr.b1.ID, "2026-06-25", w.zhang.ID) // the branch's 书记
		from := date.MustParse("2026-01-01")
		checks := func(today string) map[string]event.Check {
			t.Helper()
			on := date.MustParse(today)
			data, err := w.s.EventCalendarData(ctx, auth.Everything, w.tr.b1.ID, from, date.MustParse("2027-01-01"), on)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]event.Check{}
			for c := range event.Compliance(data.Orgs, data.Rules, data.Held, from, date.MustParse("2027-01-01"), on) {
				if c.OrgID == w.tr.b1.ID {
					out[fmt.Sprintf("%s%s %s", c.Rule.KindName, map[bool]string{true: "（书记讲）"}[c.Rule.BySecretary], c.Span.Start)] = c
				}
			}
			return out
		}
		for _, c := range []struct {
			today, check string
			held         int
			state        event.State
		}{
			{"2026-06-10", "支委会 2026-06-01", 0, event.Due},
			{"2026-06-10", "党课（书记讲） 2026-01-01", 0, event.Open},
			{"2026-06-10", "党课 2026-04-01", 0, event.Due},
			{"2026-06-20", "支委会 2026-06-01", 1, event.Met},
			{"2026-06-24", "党课（书记讲） 2026-01-01", 0, event.Open},
			{"2026-06-25", "党课（书记讲） 2026-01-01", 1, event.Met},
			{"2026-06-25", "党课 2026-04-01", 1, event.Met},
			{"2026-07-14", "支委会 2026-07-01", 0, event.Due},
			{"2026-07-15", "支委会 2026-07-01", 1, event.Met},
		} {
			got, ok := checks(c.today)[c.check]
			if !ok || got.Held != c.held || got.State != c.state {
				t.Errorf("on %s, %s: %d held, %s (judged %v); want %d, %s", c.today, c.check, got.Held, got.State, ok, c.held, c.state)
			}
		}
		if _, ok := checks("2026-06-10")["支委会 2026-07-01"]; ok {
			t.Error("July judged in June")
		}
	})
}
