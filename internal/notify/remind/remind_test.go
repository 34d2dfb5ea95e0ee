package remind_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/notify"
	"dangjian/internal/notify/remind"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// branch is a 机关党委 with one branch, its secretary 张伟 (an account of
// the branch's staff role) and two members with accounts, on a clock.
type branch struct {
	st                    *store.Store
	clock                 *storetest.Clock
	root, b1              org.Org
	zhang, li, wang       people.Person
	secretary, liU, wangU *auth.User
	kinds                 map[string]int64
}

func newBranch(t *testing.T, st *store.Store, clock *storetest.Clock) *branch {
	t.Helper()
	ctx := context.Background()
	b := &branch{st: st, clock: clock, kinds: map[string]int64{}}
	if err := st.SeedEvents(ctx); err != nil {
		t.Fatal(err)
	}
	kinds, err := st.EventKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		b.kinds[k.Code] = k.ID
	}
	for _, o := range []struct {
		o      *org.Org
		parent int64
		kind   org.Kind
		name   string
	}{{&b.root, 0, org.Committee, "市委政法委机关党委"}, {&b.b1, -1, org.Branch, "第一党支部"}} {
		if o.parent < 0 {
			o.parent = b.root.ID
		}
		*o.o = org.Org{ParentID: o.parent, Kind: o.kind, Name: o.name}
		if err := st.CreateOrg(ctx, audit.System, auth.Everything, o.o); err != nil {
			t.Fatal(err)
		}
	}
	b.zhang = webtest.MustPerson(t, st, b.b1.ID, "张伟", "19800101", "001")
	b.li = webtest.MustPerson(t, st, b.b1.ID, "李娜", "19850202", "002")
	b.wang = webtest.MustPerson(t, st, b.b1.ID, "王芳", "19900303", "003")
	seat := org.CommitteeMember{OrgID: b.b1.ID, PersonID: b.zhang.ID, Position: "书记", From: date.MustParse("2024-01-01")}
	if err := st.AddCommitteeMember(ctx, audit.System, auth.Everything, &seat); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, role auth.Role, person int64) *auth.User {
		u := &auth.User{Username: name, Role: role, OrgID: b.b1.ID, PersonID: person, PasswordHash: "not-a-real-hash"}
		if err := st.CreateUser(ctx, audit.System, u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	b.secretary = mk("zhangwei", auth.BranchAdmin, b.zhang.ID)
	b.liU = mk("lina", auth.Member, b.li.ID)
	b.wangU = mk("wangfang", auth.Member, b.wang.ID)
	return b
}

func chinaTime(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, event.China)
	if err != nil {
		panic(err)
	}
	return t
}

// plan makes an event of a kind for the branch starting at a China time.
func (b *branch) plan(t *testing.T, code, title string, start time.Time) *event.Event {
	t.Helper()
	e := &event.Event{OrgID: b.b1.ID, KindID: b.kinds[code], Title: title, Place: "三楼会议室", PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour)}
	if err := b.st.CreateEvent(context.Background(), audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// notes is what a user's notification centre holds, by title.
func notes(t *testing.T, st *store.Store, u *auth.User) map[string]notify.Notification {
	t.Helper()
	list, _, err := st.Notifications(context.Background(), u.ID, store.NotificationFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]notify.Notification{}
	for _, n := range list {
		if _, dup := out[n.Title]; dup {
			t.Errorf("%s has %q twice", u.Username, n.Title)
		}
		out[n.Title] = n
	}
	return out
}

func run(t *testing.T, m *remind.Reminders) remind.Delivered {
	t.Helper()
	if _, err := m.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	d, err := m.Deliver(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEventTomorrowOnceWithTwoInstances: two instances on one database scan
// and deliver at the same moment; each person expected at tomorrow's
// session gets its reminder once, linked to where they see the event.
func TestEventTomorrowOnceWithTwoInstances(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock() // 2026-06-30 17:00 China time
		a, b2 := storetest.OpenTwice(t, d, clock.Now)
		if err := a.SeedDicts(context.Background()); err != nil {
			t.Fatal(err)
		}
		b := newBranch(t, a, clock)
		e := b.plan(t, "study_session", "七月集中学习", chinaTime("2026-07-01", "09:00"))
		later := b.plan(t, "study_session", "下周集中学习", chinaTime("2026-07-08", "09:00"))
		instances := []*remind.Reminders{remind.New(a, quiet, "one"), remind.New(b2, quiet, "two")}
		var wg sync.WaitGroup
		sent := make([]int, 2)
		for i, m := range instances {
			wg.Go(func() {
				if _, err := m.Scan(context.Background()); err != nil {
					t.Error(err)
				}
				got, err := m.Deliver(context.Background())
				if err != nil {
					t.Error(err)
				}
				sent[i] = got.Sent
			})
		}
		wg.Wait()
		if sent[0]+sent[1] != 3 {
			t.Fatalf("the instances sent %d and %d reminders, want 3 in all (one per person expected)", sent[0], sent[1])
		}
		title := "活动提醒：七月集中学习"
		for _, u := range []*auth.User{b.secretary, b.liU, b.wangU} {
			got := notes(t, b2, u)
			n, ok := got[title]
			if !ok {
				t.Fatalf("%s has %v, want %q", u.Username, got, title)
			}
			if _, ok := got["活动提醒："+later.Title]; ok {
				t.Errorf("%s reminded of next week's session already", u.Username)
			}
			if !strings.Contains(n.Body, "7月1日 09:00") || !strings.Contains(n.Body, "三楼会议室") {
				t.Errorf("%s's reminder says %q", u.Username, n.Body)
			}
		}
		if got := notes(t, a, b.liU)[title].Link; got != fmt.Sprintf("/my/events#event-%d", e.ID) {
			t.Errorf("a member's reminder links to %q", got)
		}
		if got := notes(t, a, b.secretary)[title].Link; got != fmt.Sprintf("/events/%d", e.ID) {
			t.Errorf("the secretary's reminder links to %q", got)
		}
		// Scanning again, on either instance, makes and sends nothing new.
		for _, m := range instances {
			if d := run(t, m); d.Sent != 0 {
				t.Errorf("a second round sent %d", d.Sent)
			}
		}
	})
}

// TestReminderAfterDowntime: the reminder made at night for tomorrow waits
// for 08:00; with every instance down from before then, the first start
// sends it. An event whose day came while nothing ran at all is still
// reminded of on the day (its reminder is already due).
func TestReminderAfterDowntime(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock() // 2026-06-30 17:00 China time
		st := storetest.Open(t, d, clock.Now)
		b := newBranch(t, st, clock)
		b.plan(t, "study_session", "周四集中学习", chinaTime("2026-07-02", "14:30"))
		b.plan(t, "party_lecture", "书记讲党课", chinaTime("2026-07-04", "15:00"))
		first := remind.New(st, quiet, "before")
		if d := run(t, first); d.Sent != 0 {
			t.Fatalf("two days ahead: sent %d", d.Sent)
		}
		clock.Advance(8 * time.Hour) // 07-01 01:00: the scan makes it, due at 08:00
		if d := run(t, first); d.Sent != 0 {
			t.Fatalf("at 01:00 sent %d, want none before 08:00", d.Sent)
		}
		if len(notes(t, st, b.liU)) != 0 {
			t.Fatal("delivered before 08:00")
		}
		clock.Advance(57 * time.Hour) // down until 07-03 10:00
		restarted := remind.New(st, quiet, "after")
		d1, err := restarted.Deliver(context.Background())
		if err != nil || d1.Sent != 3 {
			t.Fatalf("after the downtime the first delivery sent %d (%v), want the 3 that came due", d1.Sent, err)
		}
		if _, ok := notes(t, st, b.liU)["活动提醒：周四集中学习"]; !ok {
			t.Fatalf("after the downtime: %v", notes(t, st, b.liU))
		}
		// The lecture on 07-04 was never scanned for while down; the first
		// scan finds it tomorrow, and its 08:00 today has passed: due now.
		if d := run(t, restarted); d.Sent != 3 {
			t.Fatalf("the first scan after the downtime sent %d, want 3", d.Sent)
		}
		if _, ok := notes(t, st, b.wangU)["活动提醒：书记讲党课"]; !ok {
			t.Fatalf("the lecture's reminder: %v", notes(t, st, b.wangU))
		}
	})
}

// TestMeetingDueOverdueAndMakeup: the secretary hears a week before a
// quarter ends that its 支部党员大会 is not held, and after it ended that it
// is overdue; a member who missed a session is asked to make it up until
// they do.
func TestMeetingDueOverdueAndMakeup(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		st := storetest.Open(t, d, clock.Now)
		b := newBranch(t, st, clock)
		m := remind.New(st, quiet, "i")
		clock.Advance(85*24*time.Hour + 16*time.Hour) // 2026-09-24 09:00 China time
		run(t, m)
		due := "第一党支部2026年三季度的支部党员大会尚未召开"
		n, ok := notes(t, st, b.secretary)[due]
		if !ok {
			t.Fatalf("the secretary has %v, want %q", notes(t, st, b.secretary), due)
		}
		if !strings.Contains(n.Body, "2026年9月30日前") || !strings.Contains(n.Link, "quarter=2026-Q3") {
			t.Errorf("the due reminder: %q → %q", n.Body, n.Link)
		}
		if _, ok := notes(t, st, b.liU)[due]; ok {
			t.Error("a member was told what the secretary must do")
		}
		// September's 支委会 was held on its second day: no overdue reminder of it.
		held := b.plan(t, "branch_committee", "九月支委会", chinaTime("2026-09-02", "09:00"))
		held.Status, held.HeldStart, held.HeldEnd = event.Held, held.PlannedStart, held.PlannedEnd
		if err := st.UpdateEvent(ctx, audit.System, auth.Everything, held, nil, false); err != nil {
			t.Fatal(err)
		}
		session := b.plan(t, "study_session", "九月集中学习", chinaTime("2026-09-28", "09:00"))
		session.Status, session.HeldStart, session.HeldEnd = event.Held, session.PlannedStart, session.PlannedEnd
		if err := st.UpdateEvent(ctx, audit.System, auth.Everything, session, nil, false); err != nil {
			t.Fatal(err)
		}
		if _, err := st.MarkAttendance(ctx, audit.System, auth.Everything, session.ID, []event.MarkInput{
			{PersonID: b.zhang.ID, Mark: event.Present}, {PersonID: b.li.ID, Mark: event.Absent},
			{PersonID: b.wang.ID, Mark: event.Leave, LeaveReason: "出差"}}, event.BySecretary); err != nil {
			t.Fatal(err)
		}
		clock.Advance(11 * 24 * time.Hour) // 2026-10-05
		run(t, m)
		got := notes(t, st, b.secretary)
		for _, title := range []string{"第一党支部2026年三季度未召开支部党员大会", "第一党支部2026年9月未召开主题党日"} {
			if _, ok := got[title]; !ok {
				t.Errorf("the secretary lacks %q: %v", title, got)
			}
		}
		if _, ok := got["第一党支部2026年9月未召开支委会"]; ok {
			t.Error("told the held 支委会 is overdue")
		}
		makeup := "补课提醒：九月集中学习"
		for _, u := range []*auth.User{b.liU, b.wangU} {
			if _, ok := notes(t, st, u)[makeup]; !ok {
				t.Errorf("%s is not asked to make up: %v", u.Username, notes(t, st, u))
			}
		}
		if _, ok := notes(t, st, b.secretary)[makeup]; ok {
			t.Error("the secretary, who was there, is asked to make up")
		}
	})
}

// TestReplay: an installation filled with a history (the demo) starts with
// the notifications its users would have had over the last days — the
// reminder of last week's session, held since — and none of a cancelled
// event or one beyond tomorrow.
func TestReplay(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock() // 2026-06-30 17:00 China time
		st := storetest.Open(t, d, clock.Now)
		b := newBranch(t, st, clock)
		held := b.plan(t, "study_session", "上周集中学习", chinaTime("2026-06-25", "09:00"))
		held.Status, held.HeldStart, held.HeldEnd = event.Held, held.PlannedStart, held.PlannedEnd
		if err := st.UpdateEvent(ctx, audit.System, auth.Everything, held, nil, false); err != nil {
			t.Fatal(err)
		}
		cancelled := b.plan(t, "study_session", "取消的学习", chinaTime("2026-07-01", "09:00"))
		cancelled.Status, cancelled.CancelReason = event.Cancelled, "与全市会议冲突"
		if err := st.UpdateEvent(ctx, audit.System, auth.Everything, cancelled, nil, false); err != nil {
			t.Fatal(err)
		}
		b.plan(t, "study_session", "下周集中学习", chinaTime("2026-07-06", "09:00"))
		_, sent, err := remind.New(st, quiet, "demo").Replay(ctx, clock.Now(), 7)
		if err != nil {
			t.Fatal(err)
		}
		got := notes(t, st, b.liU)
		if _, ok := got["活动提醒：上周集中学习"]; !ok || sent.Sent < 3 {
			t.Fatalf("after the replay %s has %v (%d sent)", b.liU.Username, got, sent.Sent)
		}
		for _, title := range []string{"活动提醒：取消的学习", "活动提醒：下周集中学习"} {
			if _, ok := got[title]; ok {
				t.Errorf("reminded of %q", title)
			}
		}
	})
}
