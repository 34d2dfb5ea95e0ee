package notifyweb_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestBrowserMemberFollowsReminderToTheEvent: on a phone, a member with a
// session tomorrow sees the unread count in the header, opens the
// notification centre, follows the reminder to the session in their own
// meetings, and the count is gone.
func TestBrowserMemberFollowsReminderToTheEvent(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	e := tomorrowSession(t, w)
	nextScan(t, w)

	tab := b.NewTab(t, w.URL)
	tab.Step("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	tab.LoginOK("member")
	tab.WaitFor("the unread count in the header", `document.querySelector("#notify-badge .badge") !== null`)
	if n := tab.Text("#notify-badge .badge"); n != "1" {
		t.Fatalf("the header counts %q unread, want 1", n)
	}
	if status := tab.ClickTo(chromedp.Search(`#notify-badge`)); status != 200 || tab.Path() != "/notifications" {
		t.Fatalf("the bell leads to %s (%d)", tab.Path(), status)
	}
	item := tab.Text("#notifications li")
	if !strings.Contains(item, "活动提醒：七月集中学习") || !strings.Contains(item, "7月1日 09:00") || !strings.Contains(item, "三楼会议室") {
		t.Fatalf("the centre shows %q", item)
	}
	if status := tab.ClickTo(webtest.Button("活动提醒：七月集中学习")); status != 200 {
		t.Fatalf("following the reminder: %d", status)
	}
	if p := tab.Path(); p != "/my/events" {
		t.Fatalf("the reminder leads to %s, want the member's meetings", p)
	}
	if loc := tab.Location(); !strings.HasSuffix(loc, "#event-"+webtest.Itoa(e.ID)) {
		t.Fatalf("the reminder leads to %s, not the session", loc)
	}
	if got := tab.Text("#event-" + webtest.Itoa(e.ID)); !strings.Contains(got, "七月集中学习") || !strings.Contains(got, "即将召开") {
		t.Fatalf("the session in the member's meetings reads %q", got)
	}
	tab.WaitFor("the header's bell", `document.querySelector("#notify-badge") !== null && document.querySelector("#notify-badge").getAttribute("hx-trigger") === "every 60s"`)
	if tab.Visible("#notify-badge .badge") {
		t.Fatalf("the header still counts %q unread after reading it", tab.Text("#notify-badge .badge"))
	}
}
