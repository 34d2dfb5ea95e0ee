package peopleweb_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// A member's 我的档案 names their organisation and whom to contact, and
// takes a report of a wrong entry; the branch that keeps the roster sees
// it, must give a reason to decline, and the member reads the answer. The
// other branch neither sees nor decides it.
func TestMemberReportsAWrongEntryFromTheirOwnPage(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sec := webtest.MustPerson(t, w.Store, w.Branch1.ID, "王书记", "19700101", "333")
		seat := org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: sec.ID, Position: "书记", From: date.MustParse("2024-01-01")}
		if err := w.Store.AddCommitteeMember(context.Background(), audit.System, auth.Everything, &seat); err != nil {
			t.Fatal(err)
		}
		m := w.Login(t, "member")
		me := m.Get("/me")
		if !strings.Contains(me.Body, "您的组织关系在<strong>第一党支部</strong>") || !strings.Contains(me.Body, "第一党支部书记<strong>王书记</strong>") {
			t.Fatalf("我的档案 does not say where the member belongs and whom to contact:\n%s", me.Body)
		}

		if res := m.Form("/me/corrections", url.Values{"text": {"  "}}); res.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, `id="e-text"`) {
			t.Fatalf("an empty report: %d", res.Status)
		}
		res := m.Form("/me/corrections", url.Values{"text": {"出生日期应为1985-03-21"}})
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/me?notice=correction_sent") {
			t.Fatalf("report: %d %s", res.Status, res.Header.Get("Location"))
		}
		if me := m.Get("/me?notice=correction_sent"); !strings.Contains(me.Body, "更正申请已提交") || !strings.Contains(me.Body, "出生日期应为1985-03-21") {
			t.Fatal("the member does not see their report")
		}

		if other := w.Login(t, "branch2").Get("/corrections"); strings.Contains(other.Body, "出生日期应为") {
			t.Fatal("another branch sees the report")
		}
		b := w.Login(t, "branch1")
		list := b.Get("/corrections")
		if list.Status != http.StatusOK || !strings.Contains(list.Body, "出生日期应为1985-03-21") || !strings.Contains(list.Body, "张伟") {
			t.Fatalf("the branch's list: %d", list.Status)
		}
		if home := b.Get("/"); !strings.Contains(home.Body, `href="/corrections"`) {
			t.Fatal("the 工作台 does not lead to the pending report")
		}
		rows, _ := w.Store.Corrections(context.Background(), auth.Scope{OrgPath: w.Branch1.Path}, store.CorrectionFilter{})
		if len(rows) != 1 {
			t.Fatalf("reports: %d", len(rows))
		}
		decide := fmt.Sprintf("/corrections/%d", rows[0].ID)
		if res := w.Login(t, "branch2").Form(decide, url.Values{"decision": {"decline"}, "answer": {"无"}}); res.Status != http.StatusNotFound {
			t.Fatalf("another branch decided: %d", res.Status)
		}
		if res := b.Form(decide, url.Values{"decision": {"decline"}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "不予更正时请说明理由") {
			t.Fatalf("a decline without a reason: %d", res.Status)
		}
		if res := b.Form(decide, url.Values{"decision": {"decline"}, "answer": {"与入党志愿书一致"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("decline: %d", res.Status)
		}
		if me := m.Get("/me"); !strings.Contains(me.Body, "不予更正") || !strings.Contains(me.Body, "与入党志愿书一致") {
			t.Fatal("the member does not read the answer")
		}
		if res := b.Form(decide, url.Values{"decision": {"accept"}}); res.Status != http.StatusConflict {
			t.Fatalf("decided twice: %d", res.Status)
		}
		// The API takes reports too.
		if res := m.JSON("POST", "/api/v1/me/corrections", map[string]any{"text": "学历应为硕士研究生"}); res.Status != http.StatusCreated ||
			res.Decode(t)["state"] != "pending" {
			t.Fatalf("API report: %d %s", res.Status, res.Body)
		}
	})
}
