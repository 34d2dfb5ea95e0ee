package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// TestRemindersTwoInstancesOnePostgres: two whole instances on one
// PostgreSQL database and one clock run the hourly reminder job; a member
// expected at tomorrow's session gets its reminder exactly once, and after
// both were stopped over the next morning and one starts again, nothing is
// sent twice and the next day's reminder goes out.
func TestRemindersTwoInstancesOnePostgres(t *testing.T) {
	db := storetest.PostgresDatabase(t)
	clock := storetest.NewClock() // 2026-06-30 17:00 China time
	start := func(ctx context.Context) (*app.App, chan error) {
		cfg := config.Default()
		cfg.Addr, cfg.DatabaseURL, cfg.LoginPerMin = "127.0.0.1:0", db, 1000
		a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		if _, err := a.Listen(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()
		return a, done
	}
	ctx, stopBoth := context.WithCancel(context.Background())
	a, doneA := start(ctx)
	_, doneB := start(ctx)
	st := a.Store()
	root := org.Org{Kind: org.Committee, Name: "市委政法委机关党委"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &root); err != nil {
		t.Fatal(err)
	}
	branch := org.Org{ParentID: root.ID, Kind: org.Branch, Name: "第一党支部"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &branch); err != nil {
		t.Fatal(err)
	}
	p := webtest.MustPerson(t, st, branch.ID, "张伟", "19850312", "111")
	u := &auth.User{Username: "member", Role: auth.Member, OrgID: branch.ID, PersonID: p.ID, PasswordHash: "not-a-real-hash"}
	if err := st.CreateUser(ctx, audit.System, u); err != nil {
		t.Fatal(err)
	}
	if err := st.SeedEvents(ctx); err != nil {
		t.Fatal(err)
	}
	kinds, err := st.EventKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan := func(title string, start time.Time) {
		e := &event.Event{OrgID: branch.ID, Title: title, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour)}
		for _, k := range kinds {
			if k.Code == "study_session" {
				e.KindID = k.ID
			}
		}
		if err := st.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
			t.Fatal(err)
		}
	}
	plan("七月集中学习", time.Date(2026, 7, 1, 9, 0, 0, 0, event.China))
	plan("七月二日专题研讨", time.Date(2026, 7, 2, 9, 0, 0, 0, event.China))
	titles := func(want int, wait time.Duration) []string {
		t.Helper()
		deadline := time.Now().Add(wait)
		for {
			list, _, err := st.Notifications(context.Background(), u.ID, store.NotificationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) >= want || time.Now().After(deadline) {
				var out []string
				for _, n := range list {
					out = append(out, n.Title)
				}
				return out
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	clock.Advance(time.Hour) // 18:00: the next hourly run is due on both
	if got := titles(1, 30*time.Second); len(got) != 1 || got[0] != "活动提醒：七月集中学习" {
		t.Fatalf("after the 18:00 run the member has %v, want tomorrow's session once", got)
	}
	stopBoth()
	<-doneA
	<-doneB
	clock.Advance(16 * time.Hour) // both down until 07-01 10:00, past the 08:00 of the 2nd's reminder
	ctx2, stop := context.WithCancel(context.Background())
	defer stop()
	_, done := start(ctx2)
	defer func() { stop(); <-done }()
	got := titles(2, 30*time.Second)
	if len(got) != 2 || got[0] != "活动提醒：七月二日专题研讨" || got[1] != "活动提醒：七月集中学习" {
		t.Fatalf("after the restart the member has %v, want the 2nd's reminder added and nothing twice", got)
	}
	if again := titles(3, 6*time.Second); len(again) != 2 { // the runners poll every 5 s
		t.Fatalf("later the member has %v", again)
	}
}
