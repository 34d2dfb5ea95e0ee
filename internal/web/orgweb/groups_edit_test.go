package orgweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// A working group takes as many members as it has (no fixed number of
// rows), is edited after creation, and its members are picked by name or
// pinyin initials within the scope.
func TestWorkingGroupsAreEditableWithoutACap(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "committee")
		ids := []int64{w.P1.ID, w.P2.ID}
		for i := range 6 {
			p := webtest.MustPerson(t, w.Store, w.Branch1.ID, fmt.Sprintf("成员%d", i), "19900101", fmt.Sprintf("%03d", 500+i))
			ids = append(ids, p.ID)
		}
		form := url.Values{"org_id": {fmt.Sprint(w.Root.ID)}, "name": {"平安建设领导小组"}, "set_up_on": {"2026-03-01"}, "members": {""}}
		for i, id := range ids {
			form.Add("members.person_id", fmt.Sprint(id))
			form.Add("members.role", map[bool]string{true: "leader", false: "member"}[i == 0])
		}
		if res := c.Form("/groups", form); res.Status != http.StatusSeeOther {
			t.Fatalf("a group of 8: %d %s", res.Status, res.Body)
		}
		groups, err := w.Store.WorkingGroups(t.Context(), w.Users["committee"].Scope())
		if err != nil || len(groups) != 1 || len(groups[0].Members) != 8 {
			t.Fatalf("groups: %+v %v", groups, err)
		}
		g := groups[0]
		edit := c.Get(fmt.Sprintf("/groups/%d/edit", g.ID))
		if edit.Status != http.StatusOK || strings.Count(edit.Body, `name="members.person_id" value="`)-strings.Count(edit.Body, `name="members.person_id" value=""`) != 8 || !strings.Contains(edit.Body, "张伟（第一党支部）") {
			t.Fatalf("the edit form does not show the 8 members: %d", edit.Status)
		}
		// Keep two, make 李娜 the deputy.
		upd := url.Values{"org_id": {fmt.Sprint(w.Root.ID)}, "name": {"平安建设领导小组"}, "set_up_on": {"2026-03-01"}, "members": {""},
			"members.person_id": {fmt.Sprint(w.P1.ID), fmt.Sprint(w.P2.ID)}, "members.role": {"leader", "deputy_leader"}, "version": {fmt.Sprint(g.Version)}}
		if res := c.Form(fmt.Sprintf("/groups/%d", g.ID), upd); res.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", res.Status, res.Body)
		}
		if res := c.Form(fmt.Sprintf("/groups/%d", g.ID), upd); res.Status != http.StatusConflict {
			t.Fatalf("an edit from a stale form: %d", res.Status)
		}
		list := c.Get("/groups").Body
		if !strings.Contains(list, "成员 2 人") || !strings.Contains(list, "副组长：<a href=\"/people/"+fmt.Sprint(w.P2.ID)+"\">李娜</a>") {
			t.Fatal("the list does not show the edited members")
		}
		// The picker finds people of the scope only.
		if res := c.Get("/people/pick?q=ln"); !strings.Contains(res.Body, "李娜") {
			t.Fatal("the committee cannot pick 李娜 by initials")
		}
		if res := w.Login(t, "branch1").Get("/people/pick?q=ln"); strings.Contains(res.Body, "李娜") {
			t.Fatal("branch 1 picks a person of branch 2")
		}
	})
}
