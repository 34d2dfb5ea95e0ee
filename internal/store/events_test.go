package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// eventWorld is the tree with people and the seeded kinds.
type eventWorld struct {
	s     *store.Store
	tr    tree
	kinds map[string]event.Kind // by code
	// 第一党支部: 张伟 (secretary) and 李娜 in the branch, 王芳 in its 党小组, 赵敏 staff;
	// 第二党支部: 刘洋.
	zhang, li, wang, zhao, liu people.Person
}

func newEventWorld(t *testing.T, s *store.Store) *eventWorld {
	t.Helper()
	ctx := context.Background()
	if err := s.SeedEvents(ctx); err != nil {
		t.Fatal(err)
	}
	w := &eventWorld{s: s, tr: buildTree(t, s), kinds: map[string]event.Kind{}}
	kinds, err := s.EventKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		w.kinds[k.Code] = k
	}
	if len(w.kinds) != len(event.DefaultKinds) {
		t.Fatalf("%d kinds seeded, want %d", len(w.kinds), len(event.DefaultKinds))
	}
	add := func(p *people.Person, orgID int64, name, birth, seq string, status people.Status) {
		*p = newPerson(orgID, name, birth, seq)
		if status == people.Masses {
			p.Status, p.JoinedOn, p.FullOn = people.Masses, date.Date{}, date.Date{}
		}
		if err := s.CreatePerson(ctx, admin, auth.Everything, p); err != nil {
			t.Fatal(err)
		}
	}
	add(&w.zhang, w.tr.b1.ID, "张伟", "19800101", "001", people.Full)
	add(&w.li, w.tr.b1.ID, "李娜", "19850202", "002", people.Full)
	add(&w.wang, w.tr.g1.ID, "王芳", "19900303", "003", people.Full)
	add(&w.zhao, w.tr.b1.ID, "赵敏", "19950404", "004", people.Masses)
	add(&w.liu, w.tr.b2.ID, "刘洋", "19880505", "005", people.Full)
	seat := org.CommitteeMember{OrgID: w.tr.b1.ID, PersonID: w.zhang.ID, Position: "书记", From: date.MustParse("2024-01-01")}
	if err := s.AddCommitteeMember(ctx, admin, auth.Everything, &seat); err != nil {
		t.Fatal(err)
	}
	return w
}

func at(day, clock string) time.Time {
	tm, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, event.China)
	if err != nil {
		panic(err)
	}
	return tm
}

// plan creates an event of a kind for an organisation on a day, 09:00–11:00.
func (w *eventWorld) plan(t *testing.T, orgID int64, code, day string, invitees ...int64) *event.Event {
	t.Helper()
	e := &event.Event{OrgID: orgID, KindID: w.kinds[code].ID, Title: w.kinds[code].Name, PlannedStart: at(day, "09:00"), PlannedEnd: at(day, "11:00")}
	if err := w.s.CreateEvent(context.Background(), admin, auth.Everything, e, invitees); err != nil {
		t.Fatalf("plan %s: %v", code, err)
	}
	return e
}

// hold records an event as held at its planned times.
func (w *eventWorld) hold(t *testing.T, e *event.Event) {
	t.Helper()
	e.Status, e.HeldStart, e.HeldEnd = event.Held, e.PlannedStart, e.PlannedEnd
	if err := w.s.UpdateEvent(context.Background(), admin, auth.Everything, e, nil, false); err != nil {
		t.Fatalf("hold %s: %v", e.Title, err)
	}
}

func (w *eventWorld) names(t *testing.T, eventID int64) map[string]event.Attendance {
	t.Helper()
	list, err := w.s.EventAttendance(context.Background(), auth.Everything, eventID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]event.Attendance{}
	for _, a := range list {
		out[a.Name+" "+a.Day.String()] = a
	}
	return out
}

// TestEventListIsFrozenWhenHeld: the expected list is the roster of the day
// it was frozen; people who join or leave later do not change it.
func TestEventListIsFrozenWhenHeld(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, nil))
		congress := w.plan(t, w.tr.b1.ID, "branch_congress", "2026-06-30")
		study := w.plan(t, w.tr.b1.ID, "study_session", "2026-06-30")
		committee := w.plan(t, w.tr.b1.ID, "branch_committee", "2026-06-30")
		forum := w.plan(t, w.tr.committee.ID, "forum", "2026-06-30", w.li.ID, w.liu.ID)
		if got := w.names(t, congress.ID); len(got) != 0 {
			t.Fatalf("a planned event has a list before it is frozen: %v", got)
		}
		for _, e := range []*event.Event{congress, study, committee, forum} {
			w.hold(t, e)
		}
		newcomer := newPerson(w.tr.b1.ID, "新来的", "19990909", "009")
		if err := w.s.CreatePerson(ctx, admin, auth.Everything, &newcomer); err != nil {
			t.Fatal(err)
		}
		if err := w.s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: w.li.ID, Direction: people.TransferOut,
			On: date.MustParse("2026-07-01"), External: "外单位"}); err != nil {
			t.Fatal(err)
		}
		want := map[int64][]string{
			congress.ID:  {"张伟", "李娜", "王芳"},       // members of the subtree, the 党小组 included
			study.ID:     {"张伟", "李娜", "王芳", "赵敏"}, // everyone, staff included
			committee.ID: {"张伟"},                   // the committee's seats
			forum.ID:     {"李娜", "刘洋"},             // chosen
		}
		for id, names := range want {
			got := w.names(t, id)
			if len(got) != len(names) {
				t.Errorf("event %d lists %v, want %v", id, keys(got), names)
			}
			for _, n := range names {
				if a, ok := got[n+" 2026-06-30"]; !ok || !a.Expected || a.Mark != event.Unmarked {
					t.Errorf("event %d: %s is %+v, want expected and unmarked", id, n, a)
				}
			}
		}
		// A second hold of the same event (a correction) does not take the list again.
		congress.Title = "支部党员大会（更正）"
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, congress, nil, false); err != nil {
			t.Fatal(err)
		}
		if got := w.names(t, congress.ID); len(got) != 3 {
			t.Errorf("after an edit the congress lists %v", keys(got))
		}
	})
}

func keys(m map[string]event.Attendance) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestMarksAndCorrectionsAreAudited: a batch with one bad mark changes
// nothing; a correction is written with the row before and after.
func TestMarksAndCorrectionsAreAudited(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, nil))
		e := w.plan(t, w.tr.b1.ID, "party_lecture", "2026-06-30")
		b1 := auth.Scope{OrgPath: w.tr.b1.Path}
		_, err := w.s.MarkAttendance(ctx, admin, b1, e.ID, []event.MarkInput{
			{PersonID: w.zhang.ID, Mark: event.Present},
			{PersonID: w.li.ID, Mark: event.Leave}, // no reason
		}, event.BySecretary)
		if fieldOf(err) != "leave_reason" {
			t.Fatalf("a leave without reason: %v", err)
		}
		if a := w.names(t, e.ID)["张伟 2026-06-30"]; a.Mark == event.Present {
			t.Fatal("the good mark of a refused batch was saved")
		}
		n, err := w.s.MarkAttendance(ctx, admin, b1, e.ID, []event.MarkInput{
			{PersonID: w.zhang.ID, Mark: event.Present},
			{PersonID: w.li.ID, Mark: event.Leave, LeaveReason: "出差"},
			{PersonID: w.wang.ID, Mark: event.Absent},
		}, event.BySecretary)
		if err != nil || n != 3 {
			t.Fatalf("marks: %d %v", n, err)
		}
		// The 补课 of the one on leave, and a correction of the absent one.
		n, err = w.s.MarkAttendance(ctx, admin, b1, e.ID, []event.MarkInput{
			{PersonID: w.zhang.ID, Mark: event.Present},
			{PersonID: w.li.ID, Mark: event.Leave, LeaveReason: "出差", MadeUpOn: date.MustParse("2026-07-03"), MakeupHow: "自学讲稿"},
			{PersonID: w.wang.ID, Mark: event.Present},
		}, event.BySecretary)
		if err != nil || n != 2 {
			t.Fatalf("corrections: %d changed, %v; want 2", n, err)
		}
		got := w.names(t, e.ID)
		if a := got["李娜 2026-06-30"]; a.MadeUpOn != date.MustParse("2026-07-03") || a.Mark != event.Leave || a.Source != event.BySecretary {
			t.Errorf("the make-up: %+v", a)
		}
		entries, _, err := w.s.AuditEntries(ctx, audit.Filter{Action: "event.mark", Limit: 100})
		if err != nil || len(entries) != 5 {
			t.Fatalf("%d mark records, want 5: %v", len(entries), err)
		}
		if e0 := entries[0]; e0.ObjectID != fmt.Sprint(e.ID) || !contains(e0.Before, `"mark":"absent"`) || !contains(e0.After, `"mark":"present"`) {
			t.Errorf("the correction's record: before %s after %s", e0.Before, e0.After)
		}
		// 第二党支部's secretary marks nothing of 第一党支部's event.
		if _, err := w.s.MarkAttendance(ctx, admin, auth.Scope{OrgPath: w.tr.b2.Path}, e.ID, []event.MarkInput{{PersonID: w.zhang.ID, Mark: event.Absent}}, event.BySecretary); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("branch 2 marked branch 1's event: %v", err)
		}
		if _, err := w.s.MarkAttendance(ctx, admin, b1, e.ID, []event.MarkInput{{PersonID: w.liu.ID, Mark: event.Present}}, event.BySecretary); fieldOf(err) != "person_id" {
			t.Errorf("a person not on the list: %v", err)
		}
	})
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && stringIndex(s, sub) >= 0)
}

func stringIndex(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func fieldOf(err error) string {
	var inv *errs.Invalid
	if errors.As(err, &inv) {
		for f := range inv.Fields {
			return f
		}
	}
	var c *errs.Conflict
	if errors.As(err, &c) {
		return c.Field
	}
	return ""
}

// TestSignInOnceOnEitherInstance: a person signs in once; a second sign-in,
// on the other instance, changes nothing; someone not expected is refused
// until walk-ins are allowed. Both instances share the signing secret.
func TestSignInOnceOnEitherInstance(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s1, s2 := storetest.OpenTwice(t, d, nil)
		if err := s1.SeedDicts(ctx); err != nil {
			t.Fatal(err)
		}
		w := newEventWorld(t, s1)
		e := w.plan(t, w.tr.b1.ID, "branch_congress", "2026-06-30")
		k1, err := s1.SignInSecret(ctx)
		if err != nil {
			t.Fatal(err)
		}
		k2, err := s2.SignInSecret(ctx)
		if err != nil || string(k1) != string(k2) || len(k1) != 32 {
			t.Fatalf("the instances' secrets differ: %x %x %v", k1, k2, err)
		}
		day := date.MustParse("2026-06-30")
		me := audit.Actor{Username: "member", IP: "10.0.0.8"}
		first, err := s1.SignIn(ctx, me, e.ID, w.wang.ID, day)
		if err != nil || first.Already || first.WalkIn {
			t.Fatalf("first sign-in: %+v %v", first, err)
		}
		again, err := s2.SignIn(ctx, me, e.ID, w.wang.ID, day)
		if err != nil || !again.Already || !again.At.Equal(first.At) {
			t.Fatalf("second sign-in: %+v %v, want already at %s", again, err, first.At)
		}
		if entries, _, _ := s1.AuditEntries(ctx, audit.Filter{Action: "event.signin", Limit: 10}); len(entries) != 1 {
			t.Errorf("%d sign-in records, want 1 (the second changed nothing)", len(entries))
		}
		if _, err := s2.SignIn(ctx, me, e.ID, w.liu.ID, day); !errors.Is(err, event.ErrNotExpected) {
			t.Fatalf("a person of another branch: %v, want not expected", err)
		}
		e.WalkIns = true
		if err := s1.UpdateEvent(ctx, admin, auth.Everything, e, nil, false); err != nil {
			t.Fatal(err)
		}
		walk, err := s2.SignIn(ctx, me, e.ID, w.liu.ID, day)
		if err != nil || !walk.WalkIn {
			t.Fatalf("a walk-in: %+v %v", walk, err)
		}
		if a := w.names(t, e.ID)["刘洋 2026-06-30"]; a.Expected || a.Mark != event.Present || a.Source != event.ByQR {
			t.Errorf("the walk-in's row: %+v", a)
		}
	})
}

// TestConcurrentSignInsAllLand: two hundred people sign in at once (on
// SQLite they share transactions); every one is present, each audited once.
func TestConcurrentSignInsAllLand(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, nil))
		var list []people.Person
		for i := range 200 {
			p := newPerson(w.tr.b2.ID, fmt.Sprintf("党员%03d", i), "19800101", fmt.Sprintf("%03d", 100+i))
			list = append(list, p)
		}
		if err := w.s.ImportPeople(ctx, admin, auth.Everything, list, nil); err != nil {
			t.Fatal(err)
		}
		e := w.plan(t, w.tr.b2.ID, "theme_day", "2026-06-30")
		day := date.MustParse("2026-06-30")
		var wg sync.WaitGroup
		errc := make(chan error, len(list))
		for _, p := range list {
			wg.Go(func() {
				_, err := w.s.SignIn(ctx, audit.Actor{Username: p.Name}, e.ID, p.ID, day)
				errc <- err
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		present := 0
		for _, a := range w.names(t, e.ID) {
			if a.Mark == event.Present {
				present++
			}
		}
		entries, total, err := w.s.AuditEntries(ctx, audit.Filter{Action: "event.signin", Limit: 1})
		if present != 201-1 || err != nil || total != 200 || len(entries) != 1 {
			t.Errorf("%d present, %d sign-in records (%v); want 200 and 200", present, total, err)
		}
	})
}

// TestStaleEditIsRefused: an edit based on an old version is a conflict and
// changes nothing.
func TestStaleEditIsRefused(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, nil))
		e := w.plan(t, w.tr.b1.ID, "party_lecture", "2026-06-30")
		stale := *e
		e.Place = "党员活动室"
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, e, nil, false); err != nil {
			t.Fatal(err)
		}
		stale.Place = "会议室"
		var c *errs.Conflict
		if err := w.s.UpdateEvent(ctx, admin, auth.Everything, &stale, nil, false); !errors.As(err, &c) || c.Key != "conflict.stale" {
			t.Fatalf("a stale edit: %v", err)
		}
		got, err := w.s.Event(ctx, auth.Everything, e.ID)
		if err != nil || got.Place != "党员活动室" || got.Version != 2 {
			t.Errorf("after a refused stale edit: %q v%d %v", got.Place, got.Version, err)
		}
		if _, err := w.s.Event(ctx, auth.Scope{OrgPath: w.tr.b2.Path}, e.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("branch 2 reads branch 1's event: %v", err)
		}
	})
}
