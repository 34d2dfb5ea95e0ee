package eventweb_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// phone makes a tab the size of a phone held upright, with touch.
func phone(tb *webtest.Tab) {
	tb.T.Helper()
	tb.Step("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// pathOf is the path and query of a link the projector shows.
func pathOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// TestBrowserQRSignIn is the meeting room: the secretary puts the code on
// the projector; a member scans it with a phone, logs in and is signed in;
// the same link after it rotated out is refused; a second scan changes
// nothing; a person not expected is refused until the secretary allows
// walk-ins; the secretary corrects a mark and the audit log shows it.
func TestBrowserQRSignIn(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	e := meeting(t, w, w.Branch1.ID, "branch_congress")
	other := &auth.User{Username: "lina", Role: auth.Member, OrgID: w.Branch2.ID, PersonID: w.P2.ID, PasswordHash: w.Users["member"].PasswordHash}
	if err := w.Store.CreateUser(context.Background(), audit.System, other); err != nil {
		t.Fatal(err)
	}
	eventPath := "/events/" + webtest.Itoa(e.ID)

	screen := b.NewTab(t, w.URL)
	screen.LoginOK("branch1")
	if status := screen.Open(eventPath); status != 200 {
		t.Fatalf("the event page: %d", status)
	}
	if status := screen.ClickTo(webtest.Button("投屏签到二维码")); status != 200 {
		t.Fatalf("the projector view: %d; %s", status, screen.PageText())
	}
	if !screen.Visible("img.qr-image") {
		t.Fatal("the projector shows no QR code")
	}
	first := webtest.Eval[string](screen, `document.querySelector("#qr-link").href`)

	member := b.NewTab(t, w.URL)
	phone(member)
	member.Open(pathOf(t, first))
	if p := member.Path(); !strings.HasPrefix(p, "/login") {
		t.Fatalf("scanning before logging in leads to %s, want the login", p)
	}
	member.TypeInto("#f-username", "member")
	member.TypeInto("#f-password", webtest.Password)
	member.ClickTo(webtest.Button("登录"))
	if h := member.Text("#signin-event"); h != "支部党员大会" {
		t.Fatalf("after logging in the phone shows %q: %s", h, member.PageText())
	}
	// Made for a phone: the button fills the width, inputs do not zoom, nothing sticks out sideways.
	layout := webtest.Eval[map[string]float64](member, `(() => { const b = document.querySelector("button.big");
		return {button: b.getBoundingClientRect().width, font: parseFloat(getComputedStyle(b).fontSize),
			overflow: document.documentElement.scrollWidth - window.innerWidth}; })()`)
	if layout["button"] < 250 || layout["font"] < 16 || layout["overflow"] > 0 {
		t.Errorf("the sign-in page on a phone: %v", layout)
	}
	member.ClickTo(webtest.Button("签到"))
	if got := member.Text("#signin-result"); got != "签到成功" {
		t.Fatalf("after tapping 签到: %q", got)
	}

	t.Run("the link after it rotated out is refused", func(t *testing.T) {
		w.Clock.Advance(61 * time.Second)
		member.Open(pathOf(t, first))
		if got := member.Text("#signin-refused"); !strings.Contains(got, "二维码已过期") {
			t.Errorf("the old link says %q", got)
		}
	})

	screen.Open(eventPath + "/qr")
	second := webtest.Eval[string](screen, `document.querySelector("#qr-link").href`)
	if second == first {
		t.Fatal("the code did not rotate")
	}
	t.Run("a second scan changes nothing", func(t *testing.T) {
		member.Open(pathOf(t, second))
		if got := member.Text("#signin-result"); !strings.Contains(got, "无需重复签到") {
			t.Errorf("a second scan says %q", got)
		}
		if member.Visible("button.big") {
			t.Error("a second scan offers to sign in again")
		}
	})

	lina := b.NewTab(t, w.URL)
	phone(lina)
	t.Run("a person not expected is refused", func(t *testing.T) {
		lina.Open(pathOf(t, second))
		lina.TypeInto("#f-username", "lina")
		lina.TypeInto("#f-password", webtest.Password)
		lina.ClickTo(webtest.Button("登录"))
		lina.ClickTo(webtest.Button("签到"))
		if got := lina.Text("#signin-refused"); !strings.Contains(got, "不在本次活动的应到人员名单中") {
			t.Errorf("李娜 is told %q", got)
		}
	})
	t.Run("until the secretary allows walk-ins", func(t *testing.T) {
		screen.Open(eventPath)
		screen.Step("allow walk-ins", chromedp.Click(chromedp.CSS(`input[type=checkbox][name=walk_ins]`)))
		if status := screen.ClickTo(webtest.Button("保存")); status != 200 {
			t.Fatalf("save: %d %v", status, webtest.Eval[[]string](screen, `Array.from(document.querySelectorAll(".error, .alert"), e => (e.dataset.field || "") + ": " + e.textContent)`))
		}
		lina.Open(pathOf(t, second)) // a new scan: the code is still within its grace
		lina.ClickTo(webtest.Button("签到"))
		if got := lina.Text("#signin-result"); !strings.Contains(got, "列席") {
			t.Errorf("李娜 with walk-ins allowed: %q (%s)", got, lina.PageText())
		}
	})

	t.Run("the secretary corrects a mark and the audit log shows it", func(t *testing.T) {
		screen.Open(eventPath + "#attendance")
		row := `#marks tr[data-name="` + w.P1.Name + `"]`
		if src := screen.Text(row + ` td[data-label="来源"]`); src != "扫码签到" {
			t.Fatalf("张伟's mark came from %q, want 扫码签到", src)
		}
		screen.Choose(`select[aria-label="`+w.P1.Name+`的出勤情况"]`, "缺席")
		if status := screen.ClickTo(webtest.Button("保存考勤")); status != 200 {
			t.Fatalf("save the marks: %d", status)
		}
		if got := screen.Chosen(`select[aria-label="` + w.P1.Name + `的出勤情况"]`); got != "缺席" {
			t.Fatalf("after saving, 张伟 is %q", got)
		}
		auditor := b.NewTab(t, w.URL)
		auditor.LoginOK("auditor")
		auditor.Open("/audit?action=event.mark")
		log := auditor.Text("#audit-log tbody")
		for _, want := range []string{"登记/更正考勤", "branch1", "出席", "缺席", w.P1.Name} {
			if !strings.Contains(log, want) {
				t.Errorf("the audit log does not show %q:\n%s", want, log)
			}
		}
	})
}

// TestBrowserOrgSelectOpensTheTree: the calendar's organisation list holds
// the committee's branches; choosing 第一党支部 opens it in place, offering
// its 党小组, and the calendar shown is then the branch's.
func TestBrowserOrgSelectOpensTheTree(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	tb := b.NewTab(t, w.URL)
	tb.LoginOK("committee")
	tb.Open("/events")
	if got := strings.Join(tb.Options("#f-org"), "|"); strings.Contains(got, w.Group1.Name) || !strings.Contains(got, w.Branch1.Name) {
		t.Fatalf("the committee's calendar offers %s", got)
	}
	tb.Choose("#f-org", w.Branch1.Name)
	tb.WaitFor("第一党支部's 党小组 offered", `Array.from(document.querySelector("#f-org").options).some(o => o.text.trim() === `+webtest.JSString(w.Group1.Name)+`)`)
	if got := tb.Chosen("#f-org"); got != w.Branch1.Name {
		t.Fatalf("after opening, the list shows %q chosen", got)
	}
	if status := tb.ClickTo(webtest.Button("查看")); status != 200 || !strings.Contains(tb.Text("h1"), w.Branch1.Name) {
		t.Fatalf("the branch's calendar: %d %q", status, tb.Text("h1"))
	}
}
