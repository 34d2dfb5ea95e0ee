package webtest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// The system administrator links a new member's account by typing the
// person's pinyin initials and tapping the match — no number read from an
// address bar; the committee builds a working group of more than six with
// the same picker and takes one out again.
func TestBrowserPickPersonByInitials(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	wang := webtest.MustPerson(t, w.Store, w.Branch1.ID, "王小明", "19950101", "321")
	tb := b.NewTab(t, w.URL)
	tb.LoginOK("sysadmin")
	tb.Open("/users")
	tb.TypeInto("#f-username", "wangxm")
	tb.Choose("#new-user #f-role", "党员/干部职工")
	tb.Choose("#new-user #f-org_id", "第一党支部")
	tb.TypeInto("#pick-person-id-q", "wxm")
	tb.WaitFor("the match", `!!document.querySelector('#pick-person-id-results [data-pick-label="王小明（第一党支部）"]')`)
	tb.Step("tap 王小明", chromedp.Click(chromedp.CSS(`#pick-person-id-results .picker-choice`)))
	if got := tb.Value(`#pick-person-id input[type=hidden][name=person_id]`); got != fmt.Sprint(wang.ID) {
		t.Fatalf("the picked person's number is %q, want %d", got, wang.ID)
	}
	if !strings.Contains(tb.Text("#pick-person-id .picker-chosen"), "王小明（第一党支部）") {
		t.Fatal("the picker does not show whom it picked")
	}
	if status := tb.ClickTo(webtest.Button("提交账号")); status != 200 || !strings.Contains(tb.Path(), "notice=user_proposed") {
		t.Fatalf("submit: %d at %s; page says %q", status, tb.Path(), tb.Text("main"))
	}
	u, err := w.Store.UserByUsername(t.Context(), "wangxm")
	if err != nil || u.PersonID != wang.ID {
		t.Fatalf("the account: %+v %v", u, err)
	}

	// A working group of seven, picked one by one; one taken out before saving.
	names := []string{"成员甲", "成员乙", "成员丙", "成员丁", "成员戊", "成员己", "成员庚"}
	for i, n := range names {
		webtest.MustPerson(t, w.Store, w.Branch1.ID, n, "19900101", fmt.Sprintf("%03d", 600+i))
	}
	tc := b.NewTab(t, w.URL)
	tc.LoginOK("committee")
	tc.Open("/groups")
	tc.Choose("#f-org_id", w.Root.Name)
	tc.TypeInto("#f-name", "平安建设领导小组")
	tc.SetDate("#f-set_up_on", "2026-03-01")
	for _, n := range append(names, "王小明") {
		tc.TypeInto("#pick-members-person-id-q", n)
		sel := `#pick-members-person-id-results .picker-choice[data-pick-label^=` + webtest.JSString(n+"（") + `]`
		tc.WaitFor(n, `!!document.querySelector(`+webtest.JSString(sel)+`)`)
		tc.Step("tap "+n, chromedp.Click(chromedp.CSS(sel)))
	}
	tc.Step("take 王小明 out", chromedp.Click(chromedp.CSS(`#pick-members-person-id .picker-item:last-child .picker-remove`)))
	if n := webtest.Eval[int](tc, `document.querySelectorAll("#pick-members-person-id .picker-chosen .picker-item").length`); n != 7 {
		t.Fatalf("%d members chosen, want 7", n)
	}
	if status := tc.ClickTo(webtest.Button("保存")); status != 200 {
		t.Fatalf("save the group: %d", status)
	}
	if got := tc.Text(".group"); !strings.Contains(got, "成员 7 人") || strings.Contains(got, "王小明") || !strings.Contains(got, "成员庚") {
		t.Fatalf("the saved group: %q", got)
	}
}

// The committee records a 党课 whose speaker is one of its own people, found
// by pinyin initials in the speaker row's picker; the empty rows beside it
// stay empty and the saved event names the speaker, linked to the person.
func TestBrowserPickEventSpeakerByInitials(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	wang := webtest.MustPerson(t, w.Store, w.Branch1.ID, "王小明", "19950101", "321")
	tc := b.NewTab(t, w.URL)
	tc.LoginOK("committee")
	tc.Open("/events/new")
	tc.Choose("#f-org_id", w.Root.Name)
	if !webtest.Eval[bool](tc, `(() => { const s = document.querySelector("#f-kind_id");
		const o = Array.from(s.options).find(o => o.text.trim().endsWith("党课")); if (!o) return false;
		s.value = o.value; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`) {
		t.Fatalf("no 党课 among the kinds: %v", tc.Options("#f-kind_id"))
	}
	tc.TypeInto("#f-title", "学习党章专题党课")
	tc.SetDate("#f-planned_start", "2026-03-10T09:00")
	tc.SetDate("#f-planned_end", "2026-03-10T11:00")
	tc.TypeInto("#pick-speakers-person-id-0-q", "wxm")
	sel := `#pick-speakers-person-id-0-results .picker-choice[data-pick-label^="王小明（"]`
	tc.WaitFor("王小明 among the matches", `!!document.querySelector(`+webtest.JSString(sel)+`)`)
	tc.Step("tap 王小明", chromedp.Click(chromedp.CSS(sel)))
	tc.TypeInto(`div.speaker-row:first-of-type input[name="speakers.topic"]`, "学习新党章")
	if status := tc.ClickTo(webtest.Button("保存")); status != 200 {
		t.Fatalf("save: %d; page says %q", status, tc.Text("main"))
	}
	page, err := w.Store.Events(t.Context(), auth.Everything, store.EventFilter{Limit: 10})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("%d events saved (%v), want 1; page says %q", len(page.Items), err, tc.Text("main"))
	}
	e, err := w.Store.Event(t.Context(), auth.Everything, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Speakers) != 1 || e.Speakers[0].PersonID != wang.ID || e.Speakers[0].Name != "王小明" || e.Speakers[0].Topic != "学习新党章" {
		t.Fatalf("the saved speakers: %+v, want 王小明 (%d) on 学习新党章 only", e.Speakers, wang.ID)
	}
	if !strings.Contains(tc.Text("main"), "王小明") {
		t.Errorf("the event page does not name its speaker: %q", tc.Text("main"))
	}
}
