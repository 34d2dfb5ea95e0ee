package web_test

import (
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

func TestOrganisationTreeThroughAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		c := w.login(t, "committee")
		// A third branch whose committee was elected three years ago: 换届 is due.
		res := c.json("POST", "/api/v1/orgs", map[string]any{"parent_id": w.root.ID, "kind": "branch", "name": "第三党支部", "term_start": "2023-06-01"})
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		b3 := res.decode(t)
		if b3["term_state"] != "overdue" || b3["kind_label"] != "党支部" {
			t.Fatalf("term: %v", b3)
		}
		id := itoa(int64(b3["id"].(float64)))
		// A 党小组 cannot sit under a unit; the message says why, beside parent_id.
		res = c.json("POST", "/api/v1/orgs", map[string]any{"parent_id": w.court.ID, "kind": "group", "name": "错误小组"})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "该类型组织不能设在所选上级之下") {
			t.Fatalf("group under unit: %d %s", res.status, res.body)
		}
		// Rename with a stale version is refused; with the right one it works and is in the history.
		if res := c.json("PUT", "/api/v1/orgs/"+id, map[string]any{"name": "第三支部", "version": 7}); res.status != http.StatusConflict {
			t.Fatalf("stale rename: %d %s", res.status, res.body)
		}
		if res := c.json("PUT", "/api/v1/orgs/"+id, map[string]any{"name": "第三党支部（机关）", "version": 1, "term_start": "2026-06-01"}); res.status != http.StatusOK ||
			res.decode(t)["term_state"] != "current" {
			t.Fatalf("rename: %d %s", res.status, res.body)
		}
		// Move 第一党小组 under the new branch; its person follows into the new scope.
		if res := c.json("POST", "/api/v1/orgs/"+itoa(w.group1.ID)+"/move", map[string]any{"parent_id": id, "version": 1}); res.status != http.StatusOK {
			t.Fatalf("move: %d %s", res.status, res.body)
		}
		hist := c.get("/api/v1/orgs/" + id + "/history")
		if !strings.Contains(hist.body, `"action":"rename"`) || !strings.Contains(hist.body, "第三党支部（机关）") {
			t.Fatalf("history: %s", hist.body)
		}
		// Branch 1 keeps its person; closing it is refused while people remain.
		res = c.json("POST", "/api/v1/orgs/"+itoa(w.branch1.ID)+"/close", map[string]any{"closed_on": "2026-06-30"})
		if res.status != http.StatusConflict || !strings.Contains(res.body, "请先") {
			t.Fatalf("close with people: %d %s", res.status, res.body)
		}
		// Committee seats: a member of the branch may be seated; someone from another branch may not.
		res = c.json("POST", "/api/v1/orgs/"+itoa(w.branch1.ID)+"/committee", map[string]any{"person_id": w.p1.ID, "position": "书记", "from": "2026-01-01"})
		if res.status != http.StatusCreated {
			t.Fatalf("seat: %d %s", res.status, res.body)
		}
		seat := itoa(int64(res.decode(t)["id"].(float64)))
		res = c.json("POST", "/api/v1/orgs/"+itoa(w.branch1.ID)+"/committee", map[string]any{"person_id": w.p2.ID, "position": "委员", "from": "2026-01-01"})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "该人员不在本组织范围内") {
			t.Fatalf("outsider seated: %d %s", res.status, res.body)
		}
		if res := c.json("POST", "/api/v1/orgs/"+itoa(w.branch1.ID)+"/committee/"+seat+"/end", map[string]any{"to": "2025-12-01"}); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("end before start: %d %s", res.status, res.body)
		}
		// A working group with a leader and a member from two branches.
		res = c.json("POST", "/api/v1/groups", map[string]any{"org_id": w.root.ID, "name": "党史学习教育领导小组", "set_up_on": "2026-03-01",
			"office": "领导小组办公室", "members": []map[string]any{{"person_id": w.p1.ID, "role": "leader"}, {"person_id": w.p2.ID, "role": "member"}}})
		if res.status != http.StatusOK || !strings.Contains(res.body, `"role_label":"组长"`) {
			t.Fatalf("working group: %d %s", res.status, res.body)
		}
		// A branch secretary sees the groups of the scope only.
		if res := w.login(t, "branch2").get("/api/v1/groups"); strings.Contains(res.body, "党史学习教育领导小组") {
			t.Fatalf("branch 2 sees the committee's group: %s", res.body)
		}
	})
}

// The work page counts the scope's people by status.
func TestWorkPageCountsMembers(t *testing.T) {
	w := newWorld(t, store.SQLite)
	mustPerson(t, w.st, w.branch1.ID, "王小明", "19950101", "321")
	for user, want := range map[string]string{"committee": "<dt>党员</dt><dd>3 人</dd>", "branch1": "<dt>党员</dt><dd>2 人</dd>", "branch2": "<dt>党员</dt><dd>1 人</dd>"} {
		if res := w.login(t, user).get("/"); !strings.Contains(res.body, want) {
			t.Errorf("%s's work page lacks %s", user, want)
		}
	}
}
