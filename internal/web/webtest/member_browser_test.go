package webtest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// The tree opens and closes each organisation; a member on a phone reports a
// wrong entry from 我的档案, the branch secretary finds it from the 工作台
// and declines it with a reason, and the member reads the answer.
func TestBrowserTreeAndMemberReport(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)

	tc := b.NewTab(t, w.URL)
	tc.LoginOK("committee")
	tc.Open("/orgs")
	group := fmt.Sprintf(`#org-tree li[data-org="%d"]`, w.Group1.ID)
	branch := fmt.Sprintf(`#org-tree li[data-org="%d"] > details > summary`, w.Branch1.ID)
	// A closed <details> keeps its children's boxes; checkVisibility says
	// whether they are drawn.
	shown := func() bool {
		return webtest.Eval[bool](tc, `document.querySelector(`+webtest.JSString(group)+`).checkVisibility()`)
	}
	if !shown() {
		t.Fatal("the tree opens on its top two levels: 第一党小组 is hidden")
	}
	tc.Step("close 第一党支部", chromedp.Click(chromedp.CSS(branch)))
	if shown() {
		t.Error("closing 第一党支部 leaves 第一党小组 shown")
	}
	tc.Step("open 第一党支部", chromedp.Click(chromedp.CSS(branch)))
	if !shown() {
		t.Error("opening 第一党支部 does not show 第一党小组")
	}

	tm := b.NewTab(t, w.URL)
	tm.Step("a phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
	tm.LoginOK("member")
	if !strings.Contains(tm.Text("#mine"), "第一党支部") {
		t.Errorf("the member's 工作台 does not name their branch: %q", tm.Text("#mine"))
	}
	tm.ClickTo(webtest.Button("档案信息有误？申请更正"))
	tm.TypeInto("#f-text", "出生日期应为1985-03-21")
	tm.ClickTo(webtest.Button("提交更正申请"))
	if !strings.Contains(tm.PageText(), "更正申请已提交") || !strings.Contains(tm.Text("#my-corrections"), "待处理") {
		t.Fatalf("after the report: %q", tm.Text("main"))
	}

	ts := b.NewTab(t, w.URL)
	ts.LoginOK("branch1")
	if status := ts.ClickTo(webtest.Button("1 件")); status != 200 || ts.Path() != "/corrections" {
		t.Fatalf("the 工作台's count leads to %s (%d)", ts.Path(), status)
	}
	ts.ClickTo(webtest.Button("不予更正"))
	if !ts.Visible(".error") || !strings.Contains(ts.Text(".error"), "请说明理由") {
		t.Fatal("a decline without a reason is not refused beside the answer")
	}
	ts.TypeInto(`#correction-list input[name="answer"]`, "与入党志愿书一致")
	ts.ClickTo(webtest.Button("不予更正"))
	if !strings.Contains(ts.PageText(), "已答复不予更正") {
		t.Fatalf("after declining: %q", ts.Text("main"))
	}

	tm.Open("/me")
	if got := tm.Text("#my-corrections"); !strings.Contains(got, "不予更正") || !strings.Contains(got, "与入党志愿书一致") {
		t.Errorf("the member reads %q", got)
	}
}
