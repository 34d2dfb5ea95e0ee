package orgweb_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func TestOrganisationTreeThroughAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "committee")
		// A third branch whose committee was elected three years ago: 换届 is due.
		res := c.JSON("POST", "/api/v1/orgs", map[string]any{"parent_id": w.Root.ID, "kind": "branch", "name": "第三党支部", "term_start": "2023-06-01"})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		b3 := res.Decode(t)
		if b3["term_state"] != "overdue" || b3["kind_label"] != "党支部" {
			t.Fatalf("term: %v", b3)
		}
		id := webtest.Itoa(int64(b3["id"].(float64)))
		// A 党小组 cannot sit under a unit; the message says why, beside parent_id.
		res = c.JSON("POST", "/api/v1/orgs", map[string]any{"parent_id": w.Court.ID, "kind": "group", "name": "错误小组"})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "该类型组织不能设在所选上级之下") {
			t.Fatalf("group under unit: %d %s", res.Status, res.Body)
		}
		// Rename with a stale version is refused; with the right one it works and is in the history.
		if res := c.JSON("PATCH", "/api/v1/orgs/"+id, map[string]any{"name": "第三支部", "version": 7}); res.Status != http.StatusConflict {
			t.Fatalf("stale rename: %d %s", res.Status, res.Body)
		}
		if res := c.JSON("PATCH", "/api/v1/orgs/"+id, map[string]any{"name": "第三党支部（机关）", "version": 1, "term_start": "2026-06-01"}); res.Status != http.StatusOK ||
			res.Decode(t)["term_state"] != "current" {
			t.Fatalf("rename: %d %s", res.Status, res.Body)
		}
		// Move 第一党小组 under the new branch; its person follows into the new scope.
		if res := c.JSON("POST", "/api/v1/orgs/"+webtest.Itoa(w.Group1.ID)+"/move", map[string]any{"parent_id": id, "version": 1}); res.Status != http.StatusOK {
			t.Fatalf("move: %d %s", res.Status, res.Body)
		}
		hist := c.Get("/api/v1/orgs/" + id + "/history")
		if !strings.Contains(hist.Body, `"action":"rename"`) || !strings.Contains(hist.Body, "第三党支部（机关）") {
			t.Fatalf("history: %s", hist.Body)
		}
		// Branch 1 keeps its person; closing it is refused while people remain.
		res = c.JSON("POST", "/api/v1/orgs/"+webtest.Itoa(w.Branch1.ID)+"/close", map[string]any{"closed_on": "2026-06-30"})
		if res.Status != http.StatusConflict || !strings.Contains(res.Body, "请先") {
			t.Fatalf("close with people: %d %s", res.Status, res.Body)
		}
		// Committee seats: a member of the branch may be seated; someone from another branch may not.
		res = c.JSON("POST", "/api/v1/orgs/"+webtest.Itoa(w.Branch1.ID)+"/committee", map[string]any{"person_id": w.P1.ID, "position": "书记", "from": "2026-01-01"})
		if res.Status != http.StatusCreated {
			t.Fatalf("seat: %d %s", res.Status, res.Body)
		}
		seat := webtest.Itoa(int64(res.Decode(t)["id"].(float64)))
		res = c.JSON("POST", "/api/v1/orgs/"+webtest.Itoa(w.Branch1.ID)+"/committee", map[string]any{"person_id": w.P2.ID, "position": "委员", "from": "2026-01-01"})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "该人员不在本组织范围内") {
			t.Fatalf("outsider seated: %d %s", res.Status, res.Body)
		}
		if res := c.JSON("POST", "/api/v1/orgs/"+webtest.Itoa(w.Branch1.ID)+"/committee/"+seat+"/end", map[string]any{"to": "2025-12-01"}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("end before start: %d %s", res.Status, res.Body)
		}
		// A working group with a leader and a member from two branches.
		res = c.JSON("POST", "/api/v1/groups", map[string]any{"org_id": w.Root.ID, "name": "党史学习教育领导小组", "set_up_on": "2026-03-01",
			"office": "领导小组办公室", "members": []map[string]any{{"person_id": w.P1.ID, "role": "leader"}, {"person_id": w.P2.ID, "role": "member"}}})
		if res.Status != http.StatusCreated || !strings.Contains(res.Body, `"role_label":"组长"`) {
			t.Fatalf("working group: %d %s", res.Status, res.Body)
		}
		// A branch secretary sees the groups of the scope only.
		if res := w.Login(t, "branch2").Get("/api/v1/groups"); strings.Contains(res.Body, "党史学习教育领导小组") {
			t.Fatalf("branch 2 sees the committee's group: %s", res.Body)
		}
	})
}

// The work page counts the scope's people by status, and every count leads
// to the list it counts: the list's total is the count.
func TestWorkPageCountsMembers(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	webtest.MustPerson(t, w.Store, w.Branch1.ID, "王小明", "19950101", "321")
	stat := regexp.MustCompile(`<dt>([^<]+)</dt><dd><a href="([^"]+)">(\d+) (?:人|件)</a></dd>`)
	for user, want := range map[string]string{"committee": "3", "branch1": "2", "branch2": "1"} {
		c := w.Login(t, user)
		res := c.Get("/")
		stats := stat.FindAllStringSubmatch(res.Body, -1)
		if len(stats) < 5 {
			t.Fatalf("%s's work page shows %d linked counts", user, len(stats))
		}
		for _, m := range stats {
			if m[1] == "党员" && m[3] != want {
				t.Errorf("%s's work page counts %s 党员, want %s", user, m[3], want)
			}
			list := c.Get(html.UnescapeString(m[2]))
			if !strings.Contains(list.Body, "共 <strong>"+m[3]+"</strong> 人") {
				t.Errorf("%s: %s %s leads to %s, which does not list that many", user, m[1], m[3], m[2])
			}
		}
	}
}
