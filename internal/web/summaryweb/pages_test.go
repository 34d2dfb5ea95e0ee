package summaryweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestSummaryPagesWithoutJavaScript: the forms of the pages, as a browser
// without JavaScript posts them — a bad template shows its line beside the
// field and saves nothing, a good one generates a summary whose figures are
// links, a wrong period and an entry without evidence are refused beside
// their fields, a rule switched off is audited, and a branch secretary may
// not change templates.
func TestSummaryPagesWithoutJavaScript(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	studies(t, w, c, 2026, 2)

	res := c.Form("/summaries/templates", url.Values{"name": {"简要模板"}, "body": {"# {{组织}}{{期间}}学习情况\n组织集中学习{{集中学习次数}}。\n覆盖{{参学人教}}。"}})
	wantStatus(t, "bad template", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `data-field="body">第3行：未知指标“参学人教”`) {
		t.Fatalf("the refusal is not beside the field: %.3000s", res.Body)
	}
	if list, _ := w.Store.SummaryTemplates(context.Background()); len(list) != 1 {
		t.Fatal("a refused template was saved")
	}
	res = c.Form("/summaries/templates", url.Values{"name": {"简要模板"}, "body": {"# {{组织}}{{期间}}学习情况\n组织集中学习{{集中学习次数}}，{{集中学习次数|同比}}。\n{{存在的问题}}"}})
	wantStatus(t, "good template", res, http.StatusSeeOther)
	list, _ := w.Store.SummaryTemplates(context.Background())
	tplID := webtest.Itoa(list[1].ID)

	res = c.Form("/summaries", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "template_id": {tplID}, "period": {"custom"}, "year": {"2026"},
		"from": {"2026-06-30"}, "to": {"2026-01-01"}})
	wantStatus(t, "a period ending before it starts", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `data-field="to">结束日期不能早于开始日期`) {
		t.Fatalf("period refusal: %.2000s", res.Body)
	}
	res = c.Form("/summaries", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "template_id": {tplID}, "period": {"q1"}, "year": {"2026"}})
	wantStatus(t, "generate", res, http.StatusSeeOther)
	page := c.Get(res.Header.Get("Location"))
	wantStatus(t, "the summary", page, http.StatusOK)
	for _, want := range []string{"第一党支部2026年第一季度学习情况", `href="/events/figures?from=2026-01-01&amp;org=` + webtest.Itoa(w.Branch1.ID) + `&amp;to=2026-03-31" data-code="events.held.study_session" title="查看数据来源">2次</a>，上年同期为0`, "工作总结已生成",
		`<tr data-code="events.held.study_session"><td data-label="指标">集中学习次数</td>`} {
		if !strings.Contains(page.Body, want) {
			t.Fatalf("the summary page lacks %q: %.3000s", want, page.Body)
		}
	}

	res = c.Form("/summaries/reported", url.Values{"org_id": {webtest.Itoa(w.Root.ID)}, "code": {"reported.task_completion"},
		"from": {"2026-01-01"}, "to": {"2026-06-30"}, "value": {"98"}})
	wantStatus(t, "no evidence", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `data-field="evidence">请写明数据来源和依据`) {
		t.Fatalf("evidence refusal: %.2000s", res.Body)
	}

	res = c.Form("/summaries/rules", url.Values{"code": {"meetings_missed"}, "version": {"0"}})
	wantStatus(t, "switch a rule off", res, http.StatusSeeOther)
	if rules := c.Get("/summaries/rules"); !strings.Contains(rules.Body, `规定会议未召开 <span class="tag warn">已关闭</span>`) {
		t.Fatalf("the rule is not shown off: %.2000s", rules.Body)
	}
	entries, _, err := w.Store.AuditEntries(context.Background(), webtest.AuditFilter("committee", "summary_rule.save"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("the switch is not audited: %d %v", len(entries), err)
	}

	branch := w.Login(t, "branch1")
	wantStatus(t, "a secretary edits a template", branch.Form("/summaries/templates", url.Values{"name": {"x"}, "body": {"正文"}}), http.StatusForbidden)
}

// TestDashboardOfACommitteeShowsItsChildren: once a child holds branches of
// its own, the committee's dashboard shows its children — the branches
// directly under it, and the court's branch under the court's name, which
// opens the court's dashboard, whose row is that branch.
func TestDashboardOfACommitteeShowsItsChildren(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	courtBranch := org.Org{ParentID: w.Court.ID, Kind: org.Branch, Name: "法院机关党支部"}
	if err := w.Store.CreateOrg(context.Background(), audit.System, auth.Everything, &courtBranch); err != nil {
		t.Fatal(err)
	}
	page := c.Get("/dashboard?org=" + webtest.Itoa(w.Root.ID) + "&year=2026")
	wantStatus(t, "the committee's dashboard", page, http.StatusOK)
	court := `<a href="/dashboard?org=` + webtest.Itoa(w.Court.ID) + `&amp;year=2026">市中级人民法院</a>（1个支部）`
	for _, want := range []string{"各下级组织组织生活达标率", court, `<td data-label="组织">第一党支部</td>`} {
		if !strings.Contains(page.Body, want) {
			t.Fatalf("the committee's dashboard lacks %q: %.4000s", want, page.Body)
		}
	}
	page = c.Get("/dashboard?org=" + webtest.Itoa(w.Court.ID) + "&year=2026")
	wantStatus(t, "the court's dashboard", page, http.StatusOK)
	if !strings.Contains(page.Body, "各支部组织生活达标率") || !strings.Contains(page.Body, `<td data-label="支部">法院机关党支部</td>`) {
		t.Fatalf("the court's dashboard lacks its branch: %.4000s", page.Body)
	}
}
