package ledgerweb_test

import (
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestBrowserProblemToClosedItem is the secretary after a 组织生活会: from
// the meeting's page they record 张伟's self-criticism and a problem found,
// turn the problem into a ledger item with one click, add progress, are
// told the closure needs its result, close it; the list shows it done and
// the audit administrator sees each step.
func TestBrowserProblemToClosedItem(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	e := lifeMeeting(t, w)

	tab := b.NewTab(t, w.URL)
	tab.LoginOK("branch1")
	if status := tab.Open("/events/" + webtest.Itoa(e.ID)); status != 200 {
		t.Fatalf("the meeting's page: %d", status)
	}
	if status := tab.ClickTo(webtest.Button("参会人员的批评与自我批评、查摆问题")); status != 200 {
		t.Fatalf("the records page: %d", status)
	}
	tab.Choose("#f-person_id", w.P1.Name+"（第一党支部）")
	tab.TypeInto("#f-self_criticism", "理论学习不够系统，联系群众不够紧密")
	tab.TypeInto("#f-criticism_received", "王芳：谈心谈话开展得少")
	if status := tab.ClickTo(webtest.Button("保存记录")); status != 200 {
		t.Fatalf("save the record: %d %s", status, tab.PageText())
	}
	record := `section.life-record[data-name="` + w.P1.Name + `"]`
	if got := tab.Value(record + ` textarea[name=self_criticism]`); got != "理论学习不够系统，联系群众不够紧密" {
		t.Fatalf("the saved self-criticism: %q", got)
	}
	tab.TypeInto(record+` input[name=content]`, "理论学习不够系统深入")
	if status := tab.ClickTo(webtest.Button("登记问题")); status != 200 {
		t.Fatalf("add the problem: %d", status)
	}
	if status := tab.ClickTo(webtest.Button("列入整改台账")); status != 200 {
		t.Fatalf("to the ledger: %d %s", status, tab.PageText())
	}
	if !strings.HasPrefix(tab.Path(), "/ledger/") || tab.Text("#item-status") != "整改中" || tab.Text("#item-problem") != "理论学习不够系统深入" {
		t.Fatalf("the new item at %s: %s", tab.Path(), tab.PageText())
	}
	if src := tab.Text("#item-source"); src != "2026年度组织生活会 · 张伟" {
		t.Fatalf("the item's source: %q", src)
	}
	itemPath, _, _ := strings.Cut(tab.Path(), "?")

	tab.TypeInto("#f-note", "制定个人学习计划，每周四参加集中学习")
	if status := tab.ClickTo(webtest.Button("登记进展")); status != 200 {
		t.Fatalf("add progress: %d", status)
	}
	if got := tab.Text("#progress-list"); !strings.Contains(got, "2026-06-30 制定个人学习计划") {
		t.Fatalf("the progress: %q", got)
	}
	if status := tab.ClickTo(webtest.Button("登记为整改完成")); status != 422 {
		t.Fatalf("a closure without its result: %d", status)
	}
	if got := tab.Text(`.error[data-field="closure"]`); got != "请填写整改结果" {
		t.Fatalf("beside the result: %q", got)
	}
	tab.TypeInto("#f-closure", "已建立个人学习台账，按期参加集中学习")
	if status := tab.ClickTo(webtest.Button("登记为整改完成")); status != 200 {
		t.Fatalf("close: %d", status)
	}
	if got := tab.Text("#item-status"); got != "已完成" {
		t.Fatalf("after the closure: %q", got)
	}

	// The meeting's problem now points to its item.
	tab.Open("/events/" + webtest.Itoa(e.ID) + "/life")
	if status := tab.ClickTo(webtest.Button("已列入整改台账")); status != 200 || tab.Path() != itemPath {
		t.Fatalf("the problem's link leads to %s (%d), want %s", tab.Path(), status, itemPath)
	}
	tab.Open("/ledger?status=done")
	if got := tab.Text("#ledger tbody"); !strings.Contains(got, "理论学习不够系统深入") || !strings.Contains(got, "已完成") {
		t.Fatalf("the list of done items: %q", got)
	}

	auditor := b.NewTab(t, w.URL)
	auditor.LoginOK("auditor")
	for action, wants := range map[string][]string{
		"life_":   {"登记批评与自我批评", "登记查摆问题", "理论学习不够系统深入"},
		"ledger.": {"列入整改台账", "登记整改进展", "整改完成", "已建立个人学习台账", "branch1"},
	} {
		auditor.Open("/audit?action=" + action)
		log := auditor.Text("#audit-log tbody")
		for _, want := range wants {
			if !strings.Contains(log, want) {
				t.Errorf("the audit log of %s does not show %q:\n%s", action, want, log)
			}
		}
	}
}
