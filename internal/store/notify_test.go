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
	"dangjian/internal/errs"
	"dangjian/internal/notify"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// account makes a working account (for reminders' foreign keys).
func account(t *testing.T, s *store.Store, name string, orgID int64) *auth.User {
	t.Helper()
	u := &auth.User{Username: "user_" + name, Role: auth.BranchAdmin, OrgID: orgID, PasswordHash: "x-hash"}
	if err := s.CreateUser(context.Background(), admin, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// deliverAll claims and delivers in-app until nothing is due, as one
// instance does, and returns the reminders it sent.
func deliverAll(ctx context.Context, s *store.Store, instance string) ([]int64, error) {
	var sent []int64
	for {
		r, err := s.ClaimReminder(ctx, instance, time.Minute)
		if errors.Is(err, errs.ErrNotFound) {
			return sent, nil
		}
		if err != nil {
			return sent, err
		}
		if err := s.DeliverInApp(ctx, *r); err != nil {
			return sent, err
		}
		if err := s.FinishReminder(ctx, r.ID, instance, nil, time.Time{}); err != nil {
			return sent, err
		}
		sent = append(sent, r.ID)
	}
}

// TestRemindersOnceAcrossInstances: two instances on one database scan at
// once (the same reminders, made once) and deliver at once: every reminder
// is sent by exactly one of them and shows once in the notification centre.
func TestRemindersOnceAcrossInstances(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		a, b := storetest.OpenTwice(t, d, clock.Now)
		tr := buildTree(t, a)
		users := []*auth.User{account(t, a, "m1", tr.b1.ID), account(t, a, "m2", tr.b1.ID), account(t, a, "m3", tr.b2.ID)}
		var list []notify.Reminder
		for i := range 40 {
			u := users[i%len(users)]
			list = append(list, notify.Reminder{Key: fmt.Sprintf("event:%d:%d", i, u.ID), Kind: notify.EventTomorrow, UserID: u.ID,
				Title: fmt.Sprintf("活动提醒：第%d次集中学习", i), Link: "/my/events"})
		}
		var wg sync.WaitGroup
		added := make([]int, 2)
		for i, s := range []*store.Store{a, b} {
			wg.Go(func() {
				n, err := s.AddReminders(ctx, audit.Actor{Username: "system"}, list)
				if err != nil {
					t.Errorf("instance %d adds: %v", i, err)
				}
				added[i] = n
			})
		}
		wg.Wait()
		if added[0]+added[1] != 40 {
			t.Fatalf("two scans added %d and %d reminders, want 40 in all", added[0], added[1])
		}
		sent := make([][]int64, 2)
		for i, s := range []*store.Store{a, b} {
			wg.Go(func() {
				var err error
				sent[i], err = deliverAll(ctx, s, fmt.Sprintf("instance-%d", i))
				if err != nil {
					t.Errorf("instance %d delivers: %v", i, err)
				}
			})
		}
		wg.Wait()
		seen := map[int64]int{}
		for _, ids := range sent {
			for _, id := range ids {
				seen[id]++
			}
		}
		if len(seen) != 40 || len(sent[0])+len(sent[1]) != 40 {
			t.Fatalf("sent %d + %d deliveries of %d reminders, want 40 of 40", len(sent[0]), len(sent[1]), len(seen))
		}
		total := 0
		for _, u := range users {
			n, err := b.UnreadCount(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			total += n
		}
		if total != 40 {
			t.Fatalf("%d unread notifications in all, want 40", total)
		}
		// A second round and a second scan add and send nothing.
		if n, _ := a.AddReminders(ctx, audit.Actor{Username: "system"}, list); n != 0 {
			t.Fatalf("a rescan added %d reminders", n)
		}
		if ids, _ := deliverAll(ctx, b, "instance-1"); len(ids) != 0 {
			t.Fatalf("a second round sent %d again", len(ids))
		}
	})
}

// TestRemindersAfterDowntime: a reminder waits for its due time; when no
// instance ran at that time, the first to start sends it. One whose sender
// died mid-delivery goes to another instance when the claim runs out, and
// the dead one's late report is refused.
func TestRemindersAfterDowntime(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		a, b := storetest.OpenTwice(t, d, clock.Now)
		tr := buildTree(t, a)
		u := account(t, a, "m1", tr.b1.ID)
		due := clock.Now().Add(8 * time.Hour)
		if _, err := a.AddReminders(ctx, admin, []notify.Reminder{
			{Key: "later", Kind: notify.EventTomorrow, UserID: u.ID, Title: "明早的会", DueAt: due},
			{Key: "later2", Kind: notify.Makeup, UserID: u.ID, Title: "补课", DueAt: due.Add(time.Hour)},
		}); err != nil {
			t.Fatal(err)
		}
		if ids, err := deliverAll(ctx, a, "a"); err != nil || len(ids) != 0 {
			t.Fatalf("before it is due: sent %v (%v)", ids, err)
		}
		if next, err := b.NextReminderDue(ctx); err != nil || !next.Equal(due) {
			t.Fatalf("next reminder due %v (%v), want %v", next, err, due)
		}
		clock.Advance(30 * time.Hour) // every instance down over the due times
		r, err := b.ClaimReminder(ctx, "b", time.Minute)
		if err != nil || r.Title != "明早的会" {
			t.Fatalf("after the downtime the first claim is %+v (%v), want the earlier reminder", r, err)
		}
		// b dies holding it; a cannot take it until the claim runs out.
		if _, err := a.ClaimReminder(ctx, "a", time.Minute); err != nil {
			t.Fatalf("a claims the other due reminder: %v", err)
		}
		if _, err := a.ClaimReminder(ctx, "a", time.Minute); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("a took a reminder b holds: %v", err)
		}
		clock.Advance(2 * time.Minute)
		again, err := a.ClaimReminder(ctx, "a", time.Minute)
		if err != nil || again.ID != r.ID || again.Attempts != 2 {
			t.Fatalf("after b's claim ran out a claims %+v (%v)", again, err)
		}
		if err := a.DeliverInApp(ctx, *again); err != nil {
			t.Fatal(err)
		}
		if err := a.FinishReminder(ctx, again.ID, "a", nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if err := b.FinishReminder(ctx, r.ID, "b", nil, time.Time{}); !errors.Is(err, store.ErrReminderLost) {
			t.Fatalf("the dead instance's late report: %v, want lost", err)
		}
		if err := b.DeliverInApp(ctx, *r); err != nil { // its late delivery is the same notification
			t.Fatal(err)
		}
		list, total, err := b.Notifications(ctx, u.ID, store.NotificationFilter{})
		if err != nil || total != 1 || list[0].Title != "明早的会" {
			t.Fatalf("notifications: %d %+v (%v), want the one", total, list, err)
		}
	})
}

// TestFailedReminderIsTriedAgain: a failed delivery waits and is tried
// again, and after the last attempt it is left with its error.
func TestFailedReminderIsTriedAgain(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		s := storetest.Open(t, d, clock.Now)
		tr := buildTree(t, s)
		u := account(t, s, "m1", tr.b1.ID)
		if _, err := s.AddReminders(ctx, admin, []notify.Reminder{{Key: "k", Kind: notify.Makeup, UserID: u.ID, Title: "补课"}}); err != nil {
			t.Fatal(err)
		}
		for i := range store.MaxReminderAttempts {
			r, err := s.ClaimReminder(ctx, "i", time.Minute)
			if err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
			if err := s.FinishReminder(ctx, r.ID, "i", errors.New("短信网关无响应"), clock.Now().Add(5*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ClaimReminder(ctx, "i", time.Minute); !errors.Is(err, errs.ErrNotFound) {
				t.Fatalf("tried again before the retry time: %v", err)
			}
			clock.Advance(6 * time.Minute)
		}
		if _, err := s.ClaimReminder(ctx, "i", time.Minute); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("tried again after the last attempt: %v", err)
		}
		waiting, sent, failed, err := s.ReminderCounts(ctx)
		if err != nil || waiting != 0 || sent != 0 || failed != 1 {
			t.Fatalf("counts waiting %d sent %d failed %d (%v)", waiting, sent, failed, err)
		}
	})
}

// TestNotificationCentre: each user reads their own notifications, newest
// first; reading one and all is audited; another's is not found.
func TestNotificationCentre(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		u, other := account(t, s, "m1", tr.b1.ID), account(t, s, "m2", tr.b1.ID)
		var list []notify.Reminder
		for i := range 3 {
			list = append(list, notify.Reminder{Key: fmt.Sprint(i), Kind: notify.EventTomorrow, UserID: u.ID, Title: fmt.Sprintf("通知%d", i)})
		}
		list = append(list, notify.Reminder{Key: "o", Kind: notify.Makeup, UserID: other.ID, Title: "别人的"})
		if _, err := s.AddReminders(ctx, admin, list); err != nil {
			t.Fatal(err)
		}
		if _, err := deliverAll(ctx, s, "i"); err != nil {
			t.Fatal(err)
		}
		got, total, err := s.Notifications(ctx, u.ID, store.NotificationFilter{Limit: 2})
		if err != nil || total != 3 || len(got) != 2 || got[0].Title != "通知2" {
			t.Fatalf("first page: %d %+v (%v)", total, got, err)
		}
		me := audit.Actor{UserID: u.ID, Username: "user_m1", IP: "127.0.0.1"}
		if _, err := s.ReadNotification(ctx, me, u.ID, got[0].ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.UnreadCount(ctx, u.ID); n != 2 {
			t.Fatalf("unread after reading one: %d, want 2", n)
		}
		var others []notify.Notification
		others, _, _ = s.Notifications(ctx, other.ID, store.NotificationFilter{})
		if _, err := s.ReadNotification(ctx, me, u.ID, others[0].ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("read another's notification: %v", err)
		}
		if n, err := s.ReadAllNotifications(ctx, me, u.ID); err != nil || n != 2 {
			t.Fatalf("read all: %d (%v), want 2", n, err)
		}
		if n, _ := s.UnreadCount(ctx, u.ID); n != 0 {
			t.Fatalf("unread after reading all: %d", n)
		}
		if n, _ := s.UnreadCount(ctx, other.ID); n != 1 {
			t.Fatalf("the other user's unread: %d, want 1", n)
		}
		entries, _, err := s.AuditEntries(ctx, audit.Filter{Username: "user_m1"})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit of reading: %d entries (%v), want 2", len(entries), err)
		}
	})
}

// TestJobRuns: the operations page's summary of the queue, kind by kind —
// the last run that ended with its outcome, and the next one waiting.
func TestJobRuns(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		s := storetest.Open(t, d, clock.Now)
		next := clock.Now().Add(time.Hour)
		for _, j := range []*store.Job{{Kind: "remind.scan", DedupeKey: "now"}, {Kind: "remind.scan", DedupeKey: "next", DueAt: next}} {
			if _, err := s.EnqueueJob(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		j, err := s.ClaimJob(ctx, []string{"remind.scan"}, "i", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.FinishJob(ctx, j.ID, "i", false, `{"sent":2}`, ""); err != nil {
			t.Fatal(err)
		}
		runs, err := s.JobRuns(ctx, []string{"backup", "remind.scan"})
		if err != nil || len(runs) != 2 {
			t.Fatalf("runs: %+v (%v)", runs, err)
		}
		if runs[0].Kind != "backup" || runs[0].Last != nil || !runs[0].NextDue.IsZero() {
			t.Errorf("a kind never run: %+v", runs[0])
		}
		r := runs[1]
		if r.Last == nil || r.Last.Result != `{"sent":2}` || !r.NextDue.Equal(next) || r.Pending != 1 || r.Done != 1 {
			t.Errorf("the scan: %+v (last %+v)", r, r.Last)
		}
		if recent, err := s.RecentJobs(ctx, 10); err != nil || len(recent) != 2 {
			t.Errorf("recent jobs: %d (%v)", len(recent), err)
		}
	})
}
