package webtest_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// media makes the tab lay its page out for print or for the screen.
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// pdfPages counts the pages of a PDF Chromium printed.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// The person page prints as a 党员信息表 on one A4 page, and the roster as
// a table headed by the organisation and the date, without the menu, the
// filter form or the phone cards.
func TestBrowserPrint(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	tb := b.NewTab(t, w.URL)
	tb.LoginOK("committee")
	if status := tb.Open(fmt.Sprintf("/people/%d", w.P1.ID)); status != 200 {
		t.Fatalf("person page: %d", status)
	}
	pdf := webtest.Run(tb, "print the person page", chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
		t.Errorf("the person page prints on %d pages, want one A4 page", n)
	}
	tb.Step("print media", media("print"))
	if !tb.Visible(".print-title") || tb.Text(".print-title") != "党员信息表" || tb.Visible("nav.sidebar") || tb.Visible(".actions") {
		t.Error("the printed person page is not a 党员信息表 without the menu and buttons")
	}
	tb.Step("screen media", media("screen"))
	if tb.Visible(".print-title") {
		t.Error("the print heading shows on screen")
	}

	// The roster, printed on a phone-sized window too: a table, not cards.
	tb.Step("a phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	tb.Open("/people")
	tb.Step("print media", media("print"))
	if !tb.Visible(".print-heading") || !strings.Contains(tb.Text(".print-heading"), "市委政法委机关党委 党员花名册") ||
		!strings.Contains(tb.Text(".print-heading"), w.Server.Today().String()) {
		t.Errorf("the printed roster's heading: %q", tb.Text(".print-heading"))
	}
	if tb.Visible("form.filters") || tb.Visible(".pager") || tb.Visible("nav.sidebar") || tb.Visible(".topbar") {
		t.Error("the printed roster shows the filter form, the pager or the menu")
	}
	if !tb.Visible("#roster thead") || webtest.Eval[string](tb, `getComputedStyle(document.querySelector("#roster tbody tr")).display`) != "table-row" ||
		!tb.Visible(`#roster td[data-label="身份证号"]`) {
		t.Error("the printed roster is not a table with every column")
	}
}

// On a 360 px phone: inputs are at least 16 px (no zoom on focus), labels and
// error messages at least 14 px, the title stays on one line, nothing is
// wider than the screen, a roster row is a compact card, and the committee
// shows every seat's 分工 and 离任 without clipping.
func TestBrowserPhone360(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	for i, name := range []string{"张伟", "李娜"} {
		id := w.P1.ID
		if i == 1 {
			id = webtest.MustPerson(t, w.Store, w.Branch1.ID, "赵组织委员", "19880808", "444").ID
		}
		seat := org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: id, Position: []string{"书记", "组织委员"}[i],
			Duty: "负责党员教育管理、发展党员和组织关系接转工作", From: date.MustParse("2024-01-01")}
		if err := w.Store.AddCommitteeMember(context.Background(), audit.System, auth.Everything, &seat); err != nil {
			t.Fatal(name, err)
		}
	}
	tb := b.NewTab(t, w.URL)
	tb.Step("a 360 px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	tb.LoginOK("committee")

	check := func(page string) {
		t.Helper()
		if wide := webtest.Eval[bool](tb, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); wide {
			t.Errorf("%s is wider than the phone (%d px)", page, webtest.Eval[int](tb, `document.documentElement.scrollWidth`))
		}
		small := webtest.Eval[[]string](tb, `Array.from(document.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), select, textarea"))
			.filter(e => e.offsetParent !== null && parseFloat(getComputedStyle(e).fontSize) < 16).map(e => (e.name || e.id) + " " + getComputedStyle(e).fontSize)`)
		if len(small) > 0 {
			t.Errorf("%s: inputs under 16 px: %v", page, small)
		}
		tiny := webtest.Eval[[]string](tb, `Array.from(document.querySelectorAll(".field label, label, .error"))
			.filter(e => e.offsetParent !== null && parseFloat(getComputedStyle(e).fontSize) < 14).map(e => e.textContent.trim().slice(0, 20) + " " + getComputedStyle(e).fontSize)`)
		if len(tiny) > 0 {
			t.Errorf("%s: labels or messages under 14 px: %v", page, tiny)
		}
		if lines := webtest.Eval[int](tb, `(() => { const b = document.querySelector(".topbar .brand"); return Math.round(b.getBoundingClientRect().height / parseFloat(getComputedStyle(b).lineHeight)); })()`); lines != 1 {
			t.Errorf("%s: the title takes %d lines", page, lines)
		}
	}

	tb.Open("/people")
	check("the roster")
	if h := webtest.Eval[float64](tb, `Math.max(...Array.from(document.querySelectorAll("#roster tbody tr")).map(r => r.getBoundingClientRect().height))`); h > 90 {
		t.Errorf("a roster card is %.0f px tall; want a compact card", h)
	}
	if tb.Visible(`#roster td[data-label="身份证号"]`) || !tb.Visible(`#roster td[data-label="所在组织"]`) {
		t.Error("the roster card does not hold just name, status and organisation")
	}

	tb.Open(fmt.Sprintf("/orgs/%d", w.Branch1.ID))
	check("the branch page")
	clipped := webtest.Eval[[]string](tb, `Array.from(document.querySelectorAll("#committee td, #committee button")).filter(e => {
		const r = e.getBoundingClientRect(); return r.right > document.documentElement.clientWidth + 0.5 || e.scrollWidth > e.clientWidth + 1; })
		.map(e => e.textContent.trim().slice(0, 12))`)
	if len(clipped) > 0 {
		t.Errorf("the committee is clipped at 360 px: %v", clipped)
	}
	if !tb.Visible(`#committee button`) || tb.Text(`#committee td[data-label="分工"]`) == "" {
		t.Error("离任 or 分工 is not shown on a phone")
	}
	if h := webtest.Eval[float64](tb, `document.querySelector("#committee button").getBoundingClientRect().height`); h > 60 {
		t.Errorf("离任 wraps: its button is %.0f px tall", h)
	}

	tb.Open("/people/new")
	tb.ClickTo(webtest.Button("保存"))
	if !tb.Visible(".field .error") {
		t.Fatal("an empty new person shows no messages")
	}
	check("the refused person form")

	tb.Open("/groups")
	check("the working groups")
}
