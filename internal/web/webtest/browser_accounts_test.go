package webtest_test

import (
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestBrowserTwoPeopleMakeALogin follows a new branch secretary's account
// from the system administrator's proposal through the security
// administrator's activation to the owner's first login, where they are told
// who set their password and choose their own before reaching the roster.
func TestBrowserTwoPeopleMakeALogin(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)

	proposed := t.Run("system administrator proposes the account, without a password", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		tb.LoginOK("sysadmin")
		if status := tb.ClickTo(webtest.MenuLink("账号管理")); status != 200 || tb.Path() != "/users" {
			t.Fatalf("menu 账号管理: status %d at %s", status, tb.Path())
		}
		if tb.Visible(`#new-user input[type="password"]`) {
			t.Errorf("the new-account form asks the system administrator for a password")
		}
		tb.TypeInto("#f-username", "zhaojs")
		tb.TypeInto("#f-display_name", "赵纪书")
		tb.Choose("#new-user #f-role", "支部书记/支委") // the filter above has a #f-role too
		tb.Choose("#new-user #f-org_id", w.Branch2.Name)
		if status := tb.ClickTo(webtest.Button("提交账号")); status != 200 {
			t.Fatalf("提交账号: status %d; page says %q", status, tb.PageText())
		}
		if got := tb.Text("p.notice"); got != "账号已提交，须由安全管理员核准激活后才能使用" {
			t.Errorf("notice after proposing: %q", got)
		}
		if page := tb.Text("#users"); !strings.Contains(page, "zhaojs") || !strings.Contains(page, "待核准激活") {
			t.Errorf("the account list does not show zhaojs pending:\n%s", page)
		}
	})
	if !proposed {
		t.Fatal("the account was not proposed; the next steps need it")
	}

	var temp string
	t.Run("security administrator checks and activates it", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		tb.AcceptConfirms()
		tb.LoginOK("secadmin")
		if status := tb.ClickTo(webtest.MenuLink("账号安全")); status != 200 {
			t.Fatalf("menu 账号安全: status %d", status)
		}
		row := tb.Text(`#pending-accounts tr[data-username="zhaojs"]`)
		for _, want := range []string{"赵纪书", "支部书记/支委", w.Branch2.Name, "sysadmin"} {
			if !strings.Contains(row, want) {
				t.Errorf("the pending row lacks %s: %q", want, row)
			}
		}
		if status := tb.ClickTo(`//tr[@data-username="zhaojs"]//button[normalize-space()="核准激活"]`); status != 200 {
			t.Fatalf("核准激活: status %d; page says %q", status, tb.PageText())
		}
		temp = tb.Text("#temp-password")
		if len(temp) < 12 {
			t.Fatalf("temporary password %q", temp)
		}
		if strings.Contains(tb.Text("#pending"), "zhaojs") {
			t.Errorf("zhaojs is still listed as pending")
		}
	})
	if temp == "" {
		t.Fatal("no temporary password; the owner cannot log in")
	}

	t.Run("the owner is told who set the password and chooses their own", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		if status := tb.Login("zhaojs", temp); status != 200 || tb.Path() != "/password" {
			t.Fatalf("first login: status %d at %s, want the password page", status, tb.Path())
		}
		if got := tb.Text("#password-issued"); !strings.Contains(got, "secadmin") || !strings.Contains(got, "联系安全管理员") {
			t.Errorf("the password page does not tell who set the password: %q", got)
		}
		tb.TypeInto("#f-current", temp)
		tb.TypeInto("#f-password", "Jilv#2026own")
		tb.TypeInto("#f-confirm", "Jilv#2026own")
		if status := tb.ClickTo(webtest.Button("保存新密码")); status != 200 || tb.Path() != "/?notice=password" {
			t.Fatalf("保存新密码: status %d at %s; page says %q", status, tb.Path(), tb.PageText())
		}
		if status := tb.ClickTo(webtest.MenuLink("党员花名册")); status != 200 {
			t.Fatalf("menu 党员花名册: status %d", status)
		}
		if roster := tb.Text("#roster"); !strings.Contains(roster, w.P2.Name) || strings.Contains(roster, w.P1.Name) {
			t.Errorf("the new secretary's roster:\n%s", roster)
		}
	})
}
