package webtest_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// On a 360 px phone the committee table's 离任 button stays on one line.
func TestBrowserEndOfTermButtonOnOneLineOnAPhone(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	seat := org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: w.P1.ID, Position: "书记", Duty: "主持支部全面工作，负责党建工作责任制落实", From: date.MustParse("2024-03-01")}
	if err := w.Store.AddCommitteeMember(context.Background(), audit.System, auth.Everything, &seat); err != nil {
		t.Fatal(err)
	}
	tb := b.NewTab(t, w.URL)
	tb.Step("emulate a 360×780 phone", chromedp.EmulateViewport(360, 780, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(3)))
	tb.LoginOK("committee")
	if status := tb.Open("/orgs/" + webtest.Itoa(w.Branch1.ID)); status != 200 {
		t.Fatalf("organisation page: %d", status)
	}
	lines := webtest.Eval[float64](tb, `(() => {
		const b = [...document.querySelectorAll('#committee button')].find(x => x.textContent.trim() === '离任');
		if (!b) return -1;
		const range = document.createRange(); range.selectNodeContents(b);
		const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
		return tops.size;
	})()`)
	if lines != 1 {
		t.Errorf("the 离任 button's text runs over %v lines on a 360 px phone, want 1", lines)
	}
}
