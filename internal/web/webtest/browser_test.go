package webtest_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// These are the acceptance tests of the product: what a person does in a real
// browser and what they see. They run on SQLite only; the HTTP and API tests
// cover both databases.

// TestBrowserCommitteeAddsBranchAndMember follows the committee administrator
// as they set up a new branch and enrol its first member, and then checks
// that the secretary of another branch cannot see that member.
func TestBrowserCommitteeAddsBranchAndMember(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)

	const (
		branchName = "第四党支部"
		name       = "王建国"
		phone      = "13800138000"
	)
	good := webtest.ValidID("19880716", "135")
	bad := good[:17] + wrongCheckChar(good[17])

	branchMade := t.Run("committee creates a branch in the organisation tree", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		tb.LoginOK("committee")

		if status := tb.ClickTo(webtest.MenuLink("组织体系")); status != 200 || tb.Path() != "/orgs" {
			t.Fatalf("menu 组织体系: status %d at %s, want 200 at /orgs", status, tb.Path())
		}
		if status := tb.ClickTo(webtest.Button("新建组织")); status != 200 || tb.Path() != "/orgs/new" {
			t.Fatalf("新建组织: status %d at %s, want the form at /orgs/new", status, tb.Path())
		}
		tb.Choose("#f-parent_id", w.Root.Name)
		tb.Choose("#f-kind", "党支部")
		tb.TypeInto("#f-name", branchName)
		if status := tb.ClickTo(webtest.Button("保存")); status != 200 {
			t.Fatalf("save the new organisation: status %d; page says %q", status, tb.PageText())
		}
		if !regexp.MustCompile(`^/orgs/\d+`).MatchString(tb.Path()) {
			t.Fatalf("after saving, at %s; want the new organisation's page", tb.Path())
		}

		if status := tb.ClickTo(webtest.MenuLink("组织体系")); status != 200 {
			t.Fatalf("back to 组织体系: status %d", status)
		}
		if tree := tb.Text("#org-tree"); !strings.Contains(tree, branchName) {
			t.Fatalf("the tree on /orgs does not show %s:\n%s", branchName, tree)
		}
		// It sits one level below the committee, labelled as a 党支部.
		row := webtest.Eval[map[string]string](tb, `(() => {
			const a = Array.from(document.querySelectorAll("#org-tree li a")).find(a => a.textContent.trim() === `+webtest.JSString(branchName)+`);
			if (!a) return {};
			const li = a.closest("li");
			return {depth: li.className, tag: li.querySelector(".tag").textContent.trim()};
		})()`)
		if row["depth"] != "depth-1" || row["tag"] != "党支部" {
			t.Errorf("the tree shows %s as %v; want a 党支部 at depth-1, under %s", branchName, row, w.Root.Name)
		}
	})
	if !branchMade {
		t.Fatal("the branch was not created through the browser; the member steps need it")
	}

	var personPath string
	t.Run("committee enrols a member and sees the wrong check digit beside the ID field", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		tb.LoginOK("committee")

		if status := tb.Open("/people/new"); status != 200 {
			t.Fatalf("/people/new: status %d", status)
		}
		tb.TypeInto("#f-name", name)
		tb.TypeInto("#f-id_number", bad)
		tb.Choose("#f-education", "大学本科")
		tb.TypeInto("#f-phone", phone)
		tb.Choose("#f-org_id", branchName)
		tb.Choose("#f-status", "正式党员")
		tb.SetDate("#f-joined_on", "2012-07-01")
		tb.SetDate("#f-full_on", "2013-07-01")
		if status := tb.ClickTo(webtest.Button("保存")); status != 422 {
			t.Fatalf("saving with a wrong check digit: status %d, want 422; page says %q", status, tb.PageText())
		}

		const errSel = `p.error[data-field="id_number"]`
		if got := tb.Text(errSel); got != "身份证号校验位不正确，请核对" {
			t.Errorf("message beside the ID field: %q", got)
		}
		// Beside the field: in the same form field, named by the input's
		// aria-describedby, and drawn just below the input.
		beside := webtest.Eval[map[string]any](tb, `(() => {
			const input = document.querySelector("input#f-id_number"), e = document.querySelector(`+webtest.JSString(errSel)+`);
			const i = input.getBoundingClientRect(), r = e.getBoundingClientRect();
			return {sameField: input.closest(".field") === e.closest(".field"),
				describedBy: input.getAttribute("aria-describedby") === e.id,
				gap: r.top - i.bottom, overlap: Math.min(i.right, r.right) - Math.max(i.left, r.left)};
		})()`)
		if beside["sameField"] != true || beside["describedBy"] != true {
			t.Errorf("the message is not tied to input#f-id_number: %v", beside)
		}
		if gap, _ := beside["gap"].(float64); gap < 0 || gap > 48 {
			t.Errorf("the message is %.0fpx from the ID field, want just below it", gap)
		}
		if overlap, _ := beside["overlap"].(float64); overlap <= 0 {
			t.Errorf("the message is not under the ID field (horizontal overlap %.0fpx)", overlap)
		}

		// What was typed is still there to correct.
		for sel, want := range map[string]string{"#f-name": name, "#f-id_number": bad, "#f-phone": phone,
			"#f-joined_on": "2012-07-01", "#f-full_on": "2013-07-01"} {
			if got := tb.Value(sel); got != want {
				t.Errorf("after the refused save %s holds %q, want %q", sel, got, want)
			}
		}
		for sel, want := range map[string]string{"#f-org_id": branchName, "#f-education": "大学本科", "#f-status": "正式党员"} {
			if got := tb.Chosen(sel); got != want {
				t.Errorf("after the refused save %s shows %q, want %q", sel, got, want)
			}
		}
		// And nothing was saved.
		res, err := w.Store.People(context.Background(), auth.Everything, store.PersonFilter{Query: name, IncludeLeft: true, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 0 {
			t.Fatalf("a refused form saved %d person(s) named %s", res.Total, name)
		}

		tb.TypeInto("#f-id_number", good)
		if status := tb.ClickTo(webtest.Button("保存")); status != 200 {
			t.Fatalf("saving the corrected form: status %d; page says %q", status, tb.PageText())
		}
		m := regexp.MustCompile(`^(/people/\d+)(\?|$)`).FindStringSubmatch(tb.Path())
		if m == nil {
			t.Fatalf("after saving, at %s; want the person's page", tb.Path())
		}
		if h := tb.Text("h1"); !strings.HasPrefix(h, name) {
			t.Errorf("person page heading %q, want it to start with %s", h, name)
		}
		if rec := tb.Text("#person-record"); !strings.Contains(rec, branchName) || !strings.Contains(rec, "1988-07-16") {
			t.Errorf("person record does not show the branch and the birth date read from the ID number:\n%s", rec)
		}
		if strings.Contains(tb.PageText(), good) {
			t.Errorf("the person page shows the full ID number without being asked")
		}

		if status := tb.ClickTo(webtest.MenuLink("党员花名册")); status != 200 {
			t.Fatalf("menu 党员花名册: status %d", status)
		}
		tb.TypeInto("#f-q", name)
		// The search swaps the results in place (htmx) and puts the query in the address.
		tb.Step("click 查询", chromedp.Click(webtest.Button("查询")))
		tb.WaitFor("the search results", `location.search.includes("q=") && document.querySelectorAll("#roster tbody tr").length === 1`)
		cells := rosterRow(tb, name)
		if cells == nil {
			t.Fatalf("searching %s: the roster does not list them:\n%s", name, tb.Text("#roster"))
		}
		checkMasked(t, "roster 身份证号", cells["身份证号"], good)
		if strings.Contains(tb.PageHTML(), good) {
			t.Errorf("the roster page carries the full ID number %s", good)
		}
		personPath = m[1]
	})
	if personPath == "" {
		t.Fatal("the member was not saved through the browser; the last step needs them")
	}

	t.Run("secretary of another branch cannot see the member", func(t *testing.T) {
		tb := b.NewTab(t, w.URL)
		tb.LoginOK("branch2")

		if status := tb.Open(personPath); status != 404 {
			t.Errorf("branch2 opening %s: status %d, want 404", personPath, status)
		}
		if h := tb.Text("h1"); h != "没有找到" {
			t.Errorf("branch2 opening %s: heading %q, want 没有找到", personPath, h)
		}
		if html := tb.PageHTML(); strings.Contains(html, name) || strings.Contains(html, good[10:]) {
			t.Errorf("the refusal page gives away the member:\n%s", tb.PageText())
		}

		if status := tb.Open("/people"); status != 200 {
			t.Fatalf("branch2 roster: status %d", status)
		}
		if rosterRow(tb, w.P2.Name) == nil {
			t.Fatalf("branch2's roster does not list its own member %s:\n%s", w.P2.Name, tb.Text("#roster"))
		}
		if strings.Contains(tb.PageHTML(), name) {
			t.Errorf("branch2's roster lists %s of %s:\n%s", name, branchName, tb.Text("#roster"))
		}
	})
}

// TestBrowserMemberOnPhone: a party member on a phone opens the menu, reads
// their own record, and finds the roster closed to them.
func TestBrowserMemberOnPhone(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	tb := b.NewTab(t, w.URL)
	tb.Step("emulate a 390×844 phone", chromedp.EmulateViewport(390, 844,
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait, chromedp.EmulateScale(3)))
	tb.LoginOK("member")

	if tb.Visible("nav.sidebar") {
		t.Errorf("on a phone the menu is open before the menu button is tapped")
	}
	const toggle = `label[for="nav-toggle"]`
	if !tb.Visible(toggle) {
		t.Fatalf("no menu button on a phone")
	}
	if got := tb.Text(toggle); got != "☰" {
		t.Errorf("menu button shows %q, want ☰", got)
	}
	tb.Step("tap the menu button", chromedp.Tap(chromedp.CSS(toggle)))
	tb.Step("wait for the menu to open", chromedp.WaitVisible(webtest.MenuLink("我的档案")))

	if status := tb.Follow("tap 我的档案", chromedp.Tap(webtest.MenuLink("我的档案"))); status != 200 || tb.Path() != "/me" {
		t.Fatalf("我的档案: status %d at %s, want 200 at /me", status, tb.Path())
	}
	if h := tb.Text("h1"); !strings.HasPrefix(h, w.P1.Name) {
		t.Errorf("我的档案 heading %q, want the member's name %s", h, w.P1.Name)
	}
	checkMasked(t, "我的档案 身份证号", tb.Text("#person-record .id-number"), w.P1.IDNumber)
	if strings.Contains(tb.PageHTML(), w.P1.IDNumber) {
		t.Errorf("我的档案 carries the full ID number")
	}
	if wide := webtest.Eval[bool](tb, `document.documentElement.scrollWidth > window.innerWidth`); wide {
		t.Errorf("我的档案 is wider than the phone screen (%d > %d px)",
			webtest.Eval[int](tb, `document.documentElement.scrollWidth`), webtest.Eval[int](tb, `window.innerWidth`))
	}

	if status := tb.Open("/people"); status != 403 {
		t.Errorf("member opening /people: status %d, want 403", status)
	}
	if h := tb.Text("h1"); h != "无权访问" {
		t.Errorf("member opening /people: heading %q, want 无权访问", h)
	}
	if strings.Contains(tb.PageText(), w.P2.Name) {
		t.Errorf("the refusal shows another member's name")
	}
}

// TestBrowserWrongPassword: a mistyped password keeps the person on the
// login page with a message that does not say which half was wrong.
func TestBrowserWrongPassword(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	tb := b.NewTab(t, w.URL)

	if status := tb.Login("committee", "Wrong#Pass2026"); status != 401 {
		t.Errorf("wrong password: status %d, want 401", status)
	}
	if p := tb.Path(); p != "/login" {
		t.Errorf("after a wrong password at %s, want /login", p)
	}
	if got, want := tb.Text("#login-error"), "用户名或密码不正确（连续输错多次的账号会暂时锁定）"; got != want {
		t.Errorf("login message %q, want %s", got, want)
	}
	if got := tb.Value("#f-username"); got != "committee" {
		t.Errorf("username field holds %q after the refusal, want it kept", got)
	}
	if got := tb.Value("#f-password"); got != "" {
		t.Errorf("password field was sent back filled in")
	}
	if tb.Open("/"); !strings.HasPrefix(tb.Path(), "/login") {
		t.Errorf("after a wrong password the work page opens (at %s)", tb.Path())
	}
}

// wrongCheckChar is a check character other than c.
func wrongCheckChar(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// checkMasked fails unless shown is full masked: its first 3 digits, then
// asterisks, then its last 4 characters.
func checkMasked(t *testing.T, where, shown, full string) {
	t.Helper()
	want := regexp.MustCompile(fmt.Sprintf(`^%s\*+%s$`, regexp.QuoteMeta(full[:3]), regexp.QuoteMeta(full[len(full)-4:])))
	if shown == full || !want.MatchString(shown) {
		t.Errorf("%s shows %q; want %s masked as %s***…%s", where, shown, full, full[:3], full[len(full)-4:])
	}
}

// rosterRow finds the row of #roster whose 姓名 link is name and returns its
// cells by column label, or nil when the roster does not list them.
func rosterRow(tb *webtest.Tab, name string) map[string]string {
	tb.T.Helper()
	tb.Step("wait for the roster", chromedp.WaitReady(chromedp.CSS("#roster")))
	row := webtest.Eval[map[string]string](tb, `(() => {
		const tr = Array.from(document.querySelectorAll("#roster tbody tr")).find(tr => {
			const a = tr.querySelector("td a"); return a && a.textContent.trim() === `+webtest.JSString(name)+`; });
		if (!tr) return {};
		const out = {};
		tr.querySelectorAll("td[data-label]").forEach(td => { out[td.dataset.label] = td.textContent.trim(); });
		return out;
	})()`)
	if len(row) == 0 {
		return nil
	}
	return row
}
