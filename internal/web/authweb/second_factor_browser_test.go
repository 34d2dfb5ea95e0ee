package authweb_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestBrowserSecondFactor follows a branch secretary who sets up an
// authenticator from 两步验证 (QR code, key, first code, ten recovery codes
// shown once), logs in again with a code after a mistyped one, loses the
// phone, and is reset by the security administrator, who also makes 党委管理员
// use the second factor.
func TestBrowserSecondFactor(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)

	enrolled := t.Run("the secretary sets up an authenticator", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		tb.LoginOK("branch1")
		if status := tb.ClickTo(webtest.MenuLink("两步验证")); status != 200 {
			t.Fatalf("menu 两步验证: status %d", status)
		}
		if got := tb.Text("#second-factor-state"); !strings.Contains(got, "尚未绑定") {
			t.Fatalf("state before: %q", got)
		}
		if status := tb.ClickTo(webtest.Button("绑定身份验证器")); status != 200 {
			t.Fatalf("绑定身份验证器: status %d", status)
		}
		if !tb.Visible("#totp-qr") || !webtest.Eval[bool](tb, `document.querySelector("#totp-qr").naturalWidth >= 200`) {
			t.Fatalf("no QR code to scan")
		}
		w.Secrets["branch1"] = strings.ReplaceAll(tb.Text("#totp-secret"), " ", "") // typed into the phone by hand
		tb.TypeInto("#f-code", "000000")
		if status := tb.ClickTo(webtest.Button("完成绑定")); status != 422 {
			t.Fatalf("a wrong first code: status %d", status)
		}
		if got := tb.Text("#e-code"); !strings.Contains(got, "动态码不正确") {
			t.Fatalf("the wrong first code's message: %q", got)
		}
		tb.TypeInto("#f-code", w.Code(t, "branch1"))
		if status := tb.ClickTo(webtest.Button("完成绑定")); status != 200 {
			t.Fatalf("完成绑定: status %d; page says %q", status, tb.PageText())
		}
		if n := webtest.Eval[int](tb, `document.querySelectorAll("#recovery-codes li").length`); n != 10 {
			t.Fatalf("%d recovery codes shown", n)
		}
		if got := tb.Text("#second-factor-state"); !strings.Contains(got, "已绑定") || tb.Text("#recovery-left") != "10" {
			t.Fatalf("state after: %q, %s left", got, tb.Text("#recovery-left"))
		}
	})
	if !enrolled {
		t.Fatal("no authenticator; the next steps need it")
	}

	t.Run("the next login asks for the code", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		if status := tb.Login("branch1", webtest.Password); status != 200 || tb.Text("h1") != "两步验证" {
			t.Fatalf("password: status %d, page %q", status, tb.Text("h1"))
		}
		tb.TypeInto("#f-code", "123456")
		if status := tb.ClickTo(webtest.Button("验证并登录")); status != 422 || !strings.Contains(tb.Text("#e-code"), "动态码不正确") {
			t.Fatalf("a mistyped code: status %d, %q", status, tb.PageText())
		}
		tb.TypeInto("#f-code", w.Code(t, "branch1"))
		if status := tb.ClickTo(webtest.Button("验证并登录")); status != 200 || tb.Path() != "/" || tb.Text("h1") != "工作台" {
			t.Fatalf("the right code: status %d at %s", status, tb.Path())
		}
	})

	t.Run("the security administrator resets the lost phone and switches 党委管理员 on", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		tb.AcceptConfirms()
		tb.LoginOK("secadmin")
		if status := tb.ClickTo(webtest.MenuLink("账号安全")); status != 200 {
			t.Fatalf("menu 账号安全: status %d", status)
		}
		if row := tb.Text(`#accounts tr[data-username="branch1"]`); !strings.Contains(row, "已绑定") {
			t.Fatalf("branch1's row: %q", row)
		}
		if status := tb.ClickTo(`//tr[@data-username="branch1"]//button[normalize-space()="重置两步验证"]`); status != 200 {
			t.Fatalf("重置两步验证: status %d; page says %q", status, tb.PageText())
		}
		if got := tb.Text("p.notice"); !strings.Contains(got, "下次登录时须重新绑定") {
			t.Errorf("notice after the reset: %q", got)
		}
		if row := tb.Text(`#accounts tr[data-username="branch1"]`); !strings.Contains(row, "未绑定") {
			t.Errorf("branch1's row after the reset: %q", row)
		}
		if webtest.Eval[bool](tb, `!document.querySelector('#second-factor-roles input[value="system_admin"]').disabled`) {
			t.Errorf("the system administrator's second factor can be switched off on the page")
		}
		tb.Step("tick 党委管理员", chromedp.Click(chromedp.CSS(`#second-factor-roles input[value="committee_admin"]`)))
		if status := tb.ClickTo(`//section[@id="second-factor-roles"]//button[normalize-space()="保存"]`); status != 200 {
			t.Fatalf("保存: status %d", status)
		}
		if got := tb.Text("p.notice"); got != "两步验证设置已保存" {
			t.Errorf("notice after saving: %q", got)
		}
		if !webtest.Eval[bool](tb, `document.querySelector('#second-factor-roles input[value="committee_admin"]').checked`) {
			t.Errorf("党委管理员 is not ticked after saving")
		}
	})

	t.Run("党委管理员 sets one up at the next login", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		if status := tb.Login("committee", webtest.Password); status != 200 || tb.Text("h1") != "绑定身份验证器" {
			t.Fatalf("password: status %d, page %q", status, tb.Text("h1"))
		}
		w.Secrets["committee"] = strings.ReplaceAll(tb.Text("#totp-secret"), " ", "")
		tb.TypeInto("#f-code", w.Code(t, "committee"))
		if status := tb.ClickTo(webtest.Button("完成绑定并登录")); status != 200 {
			t.Fatalf("完成绑定并登录: status %d", status)
		}
		if n := webtest.Eval[int](tb, `document.querySelectorAll("#recovery-codes li").length`); n != 10 {
			t.Fatalf("%d recovery codes shown", n)
		}
		if status := tb.ClickTo(`#continue`); status != 200 || tb.Text("h1") != "工作台" {
			t.Fatalf("继续: status %d, page %q", status, tb.Text("h1"))
		}
	})
}
