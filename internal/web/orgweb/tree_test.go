package orgweb_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// The tree opens and closes each organisation with its children, and shows
// beside each its party members (its subtree's) and its 书记; the page of a
// top organisation offers no 撤销, 离任 asks first, and the 沿革 names who
// did each step.
func TestOrgTreeShowsMembersAndSecretaries(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	p := webtest.MustPerson(t, w.Store, w.Group1.ID, "王小明", "19950101", "321")
	seat := org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: w.P1.ID, Position: "书记", From: date.MustParse("2024-01-01")}
	if err := w.Store.AddCommitteeMember(ctx, audit.System, auth.Everything, &seat); err != nil {
		t.Fatal(err)
	}
	c := w.Login(t, "committee")
	tree := c.Get("/orgs").Body
	line := func(id int64) string {
		m := regexp.MustCompile(fmt.Sprintf(`(?s)<li data-org="%d"[^>]*>.*?</span>\s*(?:<span class="tag|</summary>|</div>)`, id)).FindString(tree)
		return m
	}
	for _, tc := range []struct {
		id        int64
		members   string
		secretary string
	}{{w.Root.ID, "党员 3 人", ""}, {w.Branch1.ID, "党员 2 人", "书记 <span class=\"secretary\">张伟</span>"}, {w.Group1.ID, "党员 1 人", ""}, {w.Branch2.ID, "党员 1 人", ""}} {
		l := line(tc.id)
		if !strings.Contains(l, tc.members) || !strings.Contains(l, tc.secretary) {
			t.Errorf("the tree's line of %d: %q; want %q and %q", tc.id, l, tc.members, tc.secretary)
		}
	}
	if !strings.Contains(tree, fmt.Sprintf(`<li data-org="%d" class="depth-0">
  <details open><summary>`, w.Root.ID)) || !strings.Contains(tree, fmt.Sprintf(`<li data-org="%d" class="depth-1">
  <details open><summary>`, w.Branch1.ID)) {
		t.Error("the top of the tree is not drawn as organisations that open and close")
	}
	_ = p

	root := c.Get(fmt.Sprintf("/orgs/%d", w.Root.ID)).Body
	if strings.Contains(root, "撤销组织") {
		t.Error("撤销组织 is offered on the top organisation")
	}
	if strings.Contains(root, "（system）") || !strings.Contains(root, "经办人：平台运维人员（命令行初始化）") {
		t.Error("the 沿革 does not name who created the organisation")
	}
	branch := c.Get(fmt.Sprintf("/orgs/%d", w.Branch1.ID)).Body
	if !strings.Contains(branch, "撤销组织") || !strings.Contains(branch, `data-confirm="确定 张伟 于所填日期离任书记？"`) {
		t.Error("a branch's page lacks 撤销组织 or an unconfirmed 离任")
	}
	if !strings.Contains(branch, fmt.Sprintf(`<a href="/orgs/%d">市委政法委机关党委</a>`, w.Root.ID)) ||
		!strings.Contains(branch, `<a href="/orgs">组织体系</a>`) {
		t.Error("the branch's breadcrumbs do not lead up through the tree")
	}
	// An organisation renamed by a secretary names them in the 沿革.
	res := c.Form(fmt.Sprintf("/orgs/%d", w.Branch2.ID), map[string][]string{"name": {"第二党支部（刑庭）"}, "version": {fmt.Sprint(w.Branch2.Version)}})
	if res.Status != 303 {
		t.Fatalf("rename: %d", res.Status)
	}
	if b2 := c.Get(fmt.Sprintf("/orgs/%d", w.Branch2.ID)).Body; !strings.Contains(b2, "经办人：committee") {
		t.Error("the 沿革 does not name the account that renamed the branch")
	}
}
