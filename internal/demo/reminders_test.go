package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dangjian/internal/event"
	"dangjian/internal/store"
)

// TestDemoNotificationsOnTheFirstDay: the demo's member finds waiting the
// reminder of every session of the last week they were on the list of (the
// reminder job replayed over the demo's own events), each linked to a page
// of the site, all unread.
func TestDemoNotificationsOnTheFirstDay(t *testing.T) {
	ctx := context.Background()
	st := firstDay.Open(t, store.SQLite, nil)
	member, err := st.UserByUsername(ctx, "member")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(today.Year(), today.Month(), today.Day()-7, 8, 0, 0, 0, event.China)
	to := time.Date(today.Year(), today.Month(), today.Day()+2, 0, 0, 0, 0, event.China)
	mine, err := st.MyEvents(ctx, member.Scope(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	list, total, err := st.Notifications(ctx, member.ID, store.NotificationFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	for _, n := range list {
		titles[n.Title] = true
		if !strings.HasPrefix(n.Link, "/") || !n.Unread() {
			t.Errorf("notification %q links to %q (unread %v)", n.Title, n.Link, n.Unread())
		}
	}
	want := 0
	for _, e := range mine {
		if e.Status == event.Cancelled {
			continue
		}
		want++
		if !titles["活动提醒："+e.Title] {
			t.Errorf("no reminder of %s on %s among %v", e.Title, e.PlannedStart.In(event.China).Format("01-02 15:04"), titles)
		}
	}
	if unread, _ := st.UnreadCount(ctx, member.ID); unread != total || total < want {
		t.Errorf("the member has %d notifications, %d unread, for %d sessions", total, unread, want)
	}
	t.Logf("the demo's member has %d notifications (%d sessions in the last week)", total, want)
}
