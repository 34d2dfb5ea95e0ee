package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/auth"
	"dangjian/internal/store"
)

// These are the acceptance tests of the product: what a person does in a real
// browser and what they see. They run on SQLite only; the HTTP and API tests
// cover both databases.

// TestBrowserCommitteeAddsBranchAndMember follows the committee administrator
// as they set up a new branch and enrol its first member, and then checks
// that the secretary of another branch cannot see that member.
func TestBrowserCommitteeAddsBranchAndMember(t *testing.T) {
	b := startBrowser(t)
	w := newWorld(t, store.SQLite)

	const (
		branchName = "第四党支部"
		name       = "王建国"
		phone      = "13800138000"
	)
	good := validID("19880716", "135")
	bad := good[:17] + wrongCheckChar(good[17])

	branchMade := t.Run("committee creates a branch in the organisation tree", func(t *testing.T) {
		tb := b.newTab(t, w.url)
		tb.loginOK("committee")

		if status := tb.clickTo(menuLink("组织体系")); status != 200 || tb.path() != "/orgs" {
			t.Fatalf("menu 组织体系: status %d at %s, want 200 at /orgs", status, tb.path())
		}
		if status := tb.clickTo(button("新建组织")); status != 200 || tb.path() != "/orgs/new" {
			t.Fatalf("新建组织: status %d at %s, want the form at /orgs/new", status, tb.path())
		}
		tb.choose("#f-parent_id", w.root.Name)
		tb.choose("#f-kind", "党支部")
		tb.typeInto("#f-name", branchName)
		if status := tb.clickTo(button("保存")); status != 200 {
			t.Fatalf("save the new organisation: status %d; page says %q", status, tb.pageText())
		}
		if !regexp.MustCompile(`^/orgs/\d+`).MatchString(tb.path()) {
			t.Fatalf("after saving, at %s; want the new organisation's page", tb.path())
		}

		if status := tb.clickTo(menuLink("组织体系")); status != 200 {
			t.Fatalf("back to 组织体系: status %d", status)
		}
		if tree := tb.text("#org-tree"); !strings.Contains(tree, branchName) {
			t.Fatalf("the tree on /orgs does not show %s:\n%s", branchName, tree)
		}
		// It sits one level below the committee, labelled as a 党支部.
		row := eval[map[string]string](tb, `(() => {
			const a = Array.from(document.querySelectorAll("#org-tree li a")).find(a => a.textContent.trim() === `+jsString(branchName)+`);
			if (!a) return {};
			const li = a.closest("li");
			return {depth: li.className, tag: li.querySelector(".tag").textContent.trim()};
		})()`)
		if row["depth"] != "depth-1" || row["tag"] != "党支部" {
			t.Errorf("the tree shows %s as %v; want a 党支部 at depth-1, under %s", branchName, row, w.root.Name)
		}
	})
	if !branchMade {
		t.Fatal("the branch was not created through the browser; the member steps need it")
	}

	var personPath string
	t.Run("committee enrols a member and sees the wrong check digit beside the ID field", func(t *testing.T) {
		tb := b.newTab(t, w.url)
		tb.loginOK("committee")

		if status := tb.open("/people/new"); status != 200 {
			t.Fatalf("/people/new: status %d", status)
		}
		tb.typeInto("#f-name", name)
		tb.typeInto("#f-id_number", bad)
		tb.choose("#f-education", "大学本科")
		tb.typeInto("#f-phone", phone)
		tb.choose("#f-org_id", branchName)
		tb.choose("#f-status", "正式党员")
		tb.setDate("#f-joined_on", "2012-07-01")
		tb.setDate("#f-full_on", "2013-07-01")
		if status := tb.clickTo(button("保存")); status != 422 {
			t.Fatalf("saving with a wrong check digit: status %d, want 422; page says %q", status, tb.pageText())
		}

		const errSel = `p.error[data-field="id_number"]`
		if got := tb.text(errSel); got != "身份证号校验位不正确，请核对" {
			t.Errorf("message beside the ID field: %q", got)
		}
		// Beside the field: in the same form field, named by the input's
		// aria-describedby, and drawn just below the input.
		beside := eval[map[string]any](tb, `(() => {
			const input = document.querySelector("input#f-id_number"), e = document.querySelector(`+jsString(errSel)+`);
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
			if got := tb.value(sel); got != want {
				t.Errorf("after the refused save %s holds %q, want %q", sel, got, want)
			}
		}
		for sel, want := range map[string]string{"#f-org_id": branchName, "#f-education": "大学本科", "#f-status": "正式党员"} {
			if got := tb.chosen(sel); got != want {
				t.Errorf("after the refused save %s shows %q, want %q", sel, got, want)
			}
		}
		// And nothing was saved.
		res, err := w.st.People(context.Background(), auth.Everything, store.PersonFilter{Query: name, IncludeLeft: true, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 0 {
			t.Fatalf("a refused form saved %d person(s) named %s", res.Total, name)
		}

		tb.typeInto("#f-id_number", good)
		if status := tb.clickTo(button("保存")); status != 200 {
			t.Fatalf("saving the corrected form: status %d; page says %q", status, tb.pageText())
		}
		m := regexp.MustCompile(`^(/people/\d+)(\?|$)`).FindStringSubmatch(tb.path())
		if m == nil {
			t.Fatalf("after saving, at %s; want the person's page", tb.path())
		}
		if h := tb.text("h1"); !strings.HasPrefix(h, name) {
			t.Errorf("person page heading %q, want it to start with %s", h, name)
		}
		if rec := tb.text("#person-record"); !strings.Contains(rec, branchName) || !strings.Contains(rec, "1988-07-16") {
			t.Errorf("person record does not show the branch and the birth date read from the ID number:\n%s", rec)
		}
		if strings.Contains(tb.pageText(), good) {
			t.Errorf("the person page shows the full ID number without being asked")
		}

		if status := tb.clickTo(menuLink("党员花名册")); status != 200 {
			t.Fatalf("menu 党员花名册: status %d", status)
		}
		tb.typeInto("#f-q", name)
		// The search swaps the results in place (htmx) and puts the query in the address.
		tb.step("click 查询", chromedp.Click(button("查询")))
		tb.waitFor("the search results", `location.search.includes("q=") && document.querySelectorAll("#roster tbody tr").length === 1`)
		cells := rosterRow(tb, name)
		if cells == nil {
			t.Fatalf("searching %s: the roster does not list them:\n%s", name, tb.text("#roster"))
		}
		checkMasked(t, "roster 身份证号", cells["身份证号"], good)
		if strings.Contains(tb.pageHTML(), good) {
			t.Errorf("the roster page carries the full ID number %s", good)
		}
		personPath = m[1]
	})
	if personPath == "" {
		t.Fatal("the member was not saved through the browser; the last step needs them")
	}

	t.Run("secretary of another branch cannot see the member", func(t *testing.T) {
		tb := b.newTab(t, w.url)
		tb.loginOK("branch2")

		if status := tb.open(personPath); status != 404 {
			t.Errorf("branch2 opening %s: status %d, want 404", personPath, status)
		}
		if h := tb.text("h1"); h != "没有找到" {
			t.Errorf("branch2 opening %s: heading %q, want 没有找到", personPath, h)
		}
		if html := tb.pageHTML(); strings.Contains(html, name) || strings.Contains(html, good[10:]) {
			t.Errorf("the refusal page gives away the member:\n%s", tb.pageText())
		}

		if status := tb.open("/people"); status != 200 {
			t.Fatalf("branch2 roster: status %d", status)
		}
		if rosterRow(tb, w.p2.Name) == nil {
			t.Fatalf("branch2's roster does not list its own member %s:\n%s", w.p2.Name, tb.text("#roster"))
		}
		if strings.Contains(tb.pageHTML(), name) {
			t.Errorf("branch2's roster lists %s of %s:\n%s", name, branchName, tb.text("#roster"))
		}
	})
}

// TestBrowserMemberOnPhone: a party member on a phone opens the menu, reads
// their own record, and finds the roster closed to them.
func TestBrowserMemberOnPhone(t *testing.T) {
	b := startBrowser(t)
	w := newWorld(t, store.SQLite)
	tb := b.newTab(t, w.url)
	tb.step("emulate a 390×844 phone", chromedp.EmulateViewport(390, 844,
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait, chromedp.EmulateScale(3)))
	tb.loginOK("member")

	if tb.visible("nav.sidebar") {
		t.Errorf("on a phone the menu is open before the menu button is tapped")
	}
	const toggle = `label[for="nav-toggle"]`
	if !tb.visible(toggle) {
		t.Fatalf("no menu button on a phone")
	}
	if got := tb.text(toggle); got != "☰" {
		t.Errorf("menu button shows %q, want ☰", got)
	}
	tb.step("tap the menu button", chromedp.Tap(chromedp.CSS(toggle)))
	tb.step("wait for the menu to open", chromedp.WaitVisible(menuLink("我的档案")))

	if status := tb.follow("tap 我的档案", chromedp.Tap(menuLink("我的档案"))); status != 200 || tb.path() != "/me" {
		t.Fatalf("我的档案: status %d at %s, want 200 at /me", status, tb.path())
	}
	if h := tb.text("h1"); !strings.HasPrefix(h, w.p1.Name) {
		t.Errorf("我的档案 heading %q, want the member's name %s", h, w.p1.Name)
	}
	checkMasked(t, "我的档案 身份证号", tb.text("#person-record .id-number"), w.p1.IDNumber)
	if strings.Contains(tb.pageHTML(), w.p1.IDNumber) {
		t.Errorf("我的档案 carries the full ID number")
	}
	if wide := eval[bool](tb, `document.documentElement.scrollWidth > window.innerWidth`); wide {
		t.Errorf("我的档案 is wider than the phone screen (%d > %d px)",
			eval[int](tb, `document.documentElement.scrollWidth`), eval[int](tb, `window.innerWidth`))
	}

	if status := tb.open("/people"); status != 403 {
		t.Errorf("member opening /people: status %d, want 403", status)
	}
	if h := tb.text("h1"); h != "无权访问" {
		t.Errorf("member opening /people: heading %q, want 无权访问", h)
	}
	if strings.Contains(tb.pageText(), w.p2.Name) {
		t.Errorf("the refusal shows another member's name")
	}
}

// TestBrowserWrongPassword: a mistyped password keeps the person on the
// login page with a message that does not say which half was wrong.
func TestBrowserWrongPassword(t *testing.T) {
	b := startBrowser(t)
	w := newWorld(t, store.SQLite)
	tb := b.newTab(t, w.url)

	if status := tb.login("committee", "Wrong#Pass2026"); status != 401 {
		t.Errorf("wrong password: status %d, want 401", status)
	}
	if p := tb.path(); p != "/login" {
		t.Errorf("after a wrong password at %s, want /login", p)
	}
	if got := tb.text("#login-error"); got != "用户名或密码不正确" {
		t.Errorf("login message %q, want 用户名或密码不正确", got)
	}
	if got := tb.value("#f-username"); got != "committee" {
		t.Errorf("username field holds %q after the refusal, want it kept", got)
	}
	if got := tb.value("#f-password"); got != "" {
		t.Errorf("password field was sent back filled in")
	}
	if tb.open("/"); !strings.HasPrefix(tb.path(), "/login") {
		t.Errorf("after a wrong password the work page opens (at %s)", tb.path())
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
func rosterRow(tb *tab, name string) map[string]string {
	tb.t.Helper()
	tb.step("wait for the roster", chromedp.WaitReady(chromedp.CSS("#roster")))
	row := eval[map[string]string](tb, `(() => {
		const tr = Array.from(document.querySelectorAll("#roster tbody tr")).find(tr => {
			const a = tr.querySelector("td a"); return a && a.textContent.trim() === `+jsString(name)+`; });
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
