package learningweb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestBrowserMemberWritesNoteOnPhone: on a phone, a member opens 我的学习
// from the menu, sees the 2 学时 of the session they attended against 32,
// writes a study note, watches its character count as they type, saves it
// and finds it in their list with its count.
func TestBrowserMemberWritesNoteOnPhone(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	start := w.Clock.Now().Add(-72 * time.Hour)
	e := &event.Event{OrgID: w.Branch1.ID, KindID: kindID(t, w, "study_session"), Title: "周四集中学习", Status: event.Held,
		PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour), HeldStart: start, HeldEnd: start.Add(2 * time.Hour)}
	if err := w.Store.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Store.MarkAttendance(ctx, audit.System, auth.Everything, e.ID, []event.MarkInput{{PersonID: w.P1.ID, Mark: event.Present}}, event.BySecretary); err != nil {
		t.Fatal(err)
	}

	tb := b.NewTab(t, w.URL)
	tb.Step("emulate a 390×844 phone", chromedp.EmulateViewport(390, 844,
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait, chromedp.EmulateScale(3)))
	tb.LoginOK("member")
	const toggle = `label[for="nav-toggle"]`
	tb.Step("tap the menu button", chromedp.Tap(chromedp.CSS(toggle)))
	tb.Step("wait for the menu to open", chromedp.WaitVisible(webtest.MenuLink("我的学习")))
	if status := tb.Follow("tap 我的学习", chromedp.Tap(webtest.MenuLink("我的学习"))); status != 200 || tb.Path() != "/my/learning" {
		t.Fatalf("我的学习: status %d at %s", status, tb.Path())
	}
	if got := tb.Text("#my-hours") + "/" + tb.Text("#my-required"); got != "2/32" {
		t.Errorf("学时 shown as %s, want 2/32", got)
	}

	tb.TypeInto("#f-title", "学习《政法工作条例》笔记")
	body := "坚持党对政法工作的绝对领导，锻造忠诚干净担当的政法铁军。"
	tb.TypeInto("#f-body", body)
	tb.WaitFor("the live count", `document.querySelector("#body-count").textContent === "28"`)
	if wide := webtest.Eval[bool](tb, `document.documentElement.scrollWidth > window.innerWidth`); wide {
		t.Errorf("我的学习 is wider than the phone screen")
	}
	if status := tb.ClickTo(webtest.Button("保存")); status != 200 {
		t.Fatalf("saving the note: status %d", status)
	}
	if !strings.Contains(tb.PageText(), "笔记已保存") {
		t.Error("no word that the note was saved")
	}
	item := tb.Text("#my-notes li")
	if !strings.Contains(item, "学习《政法工作条例》笔记") || !strings.Contains(item, "28 字") {
		t.Errorf("the saved note reads %q, want its title and 28 字", item)
	}
	if got := tb.Text("#my-note-chars"); got != "28" {
		t.Errorf("this year's note characters: %s, want 28", got)
	}
	if got := tb.Text("#my-hours"); got != "2" {
		t.Errorf("学时 after writing: %s", got)
	}
}
