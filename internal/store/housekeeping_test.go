package store_test

import (
	"context"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/notify"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestPruneFinishedKeepsWhatIsRecentOrUnread: clearing removes the job
// runs that ended before its day and the notifications read before its
// day, and nothing else — not a job waiting, not a recent run, not an
// unread notification however old — and the audit log says what went.
func TestPruneFinishedKeepsWhatIsRecentOrUnread(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		s := storetest.Open(t, d, clock.Now)
		tr := buildTree(t, s)
		u := account(t, s, "m1", tr.b1.ID)
		me := audit.Actor{UserID: u.ID, Username: u.Username, IP: "127.0.0.1"}
		runJob := func(key string) {
			t.Helper()
			if _, err := s.EnqueueJob(ctx, &store.Job{Kind: "remind.scan", DedupeKey: key}); err != nil {
				t.Fatal(err)
			}
			j, err := s.ClaimJob(ctx, []string{"remind.scan"}, "i", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.FinishJob(ctx, j.ID, "i", false, "{}", ""); err != nil {
				t.Fatal(err)
			}
		}
		notice := func(key string, read bool) {
			t.Helper()
			if _, err := s.AddReminders(ctx, admin, []notify.Reminder{{Key: key, Kind: notify.Makeup, UserID: u.ID, Title: key}}); err != nil {
				t.Fatal(err)
			}
			if _, err := deliverAll(ctx, s, "i"); err != nil {
				t.Fatal(err)
			}
			list, _, err := s.Notifications(ctx, u.ID, store.NotificationFilter{Limit: 1})
			if err != nil || len(list) == 0 || list[0].Title != key {
				t.Fatalf("notification %s: %+v (%v)", key, list, err)
			}
			if read {
				if _, err := s.ReadNotification(ctx, me, u.ID, list[0].ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		runJob("old")
		notice("old read", true)
		notice("old unread", false)
		clock.Advance(100 * 24 * time.Hour)
		cut := clock.Now().Add(-24 * time.Hour)
		runJob("recent")
		notice("recent read", true)
		if _, err := s.EnqueueJob(ctx, &store.Job{Kind: "remind.scan", DedupeKey: "waiting", DueAt: clock.Now().Add(-200 * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}

		p, err := s.PruneFinished(ctx, audit.Actor{Username: "system", IP: "job"}, cut, cut)
		if err != nil || p != (store.Pruned{Jobs: 1, Notifications: 1}) {
			t.Fatalf("pruned %+v (%v), want the old run and the old read notification", p, err)
		}
		for key, want := range map[string]bool{"old": false, "recent": true, "waiting": true} {
			if _, err := s.JobByKey(ctx, key); (err == nil) != want {
				t.Errorf("job %q kept: %v, want %v", key, err == nil, want)
			}
		}
		list, total, err := s.Notifications(ctx, u.ID, store.NotificationFilter{Limit: 10})
		if err != nil || total != 2 {
			t.Fatalf("notifications left: %d %+v (%v), want the old unread and the recent read", total, list, err)
		}
		for _, n := range list {
			if n.Title == "old read" {
				t.Errorf("the old read notification is still there")
			}
		}
		entries, _, err := s.AuditEntries(ctx, audit.Filter{Action: "system.prune"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit of the clearing: %d (%v)", len(entries), err)
		}
		if p, err := s.PruneFinished(ctx, audit.Actor{Username: "system", IP: "job"}, cut, cut); err != nil || p != (store.Pruned{}) {
			t.Fatalf("a second clearing: %+v (%v), want nothing", p, err)
		}
		if entries, _, _ := s.AuditEntries(ctx, audit.Filter{Action: "system.prune"}); len(entries) != 1 {
			t.Errorf("a clearing that removed nothing was audited: %d entries", len(entries))
		}
	})
}
