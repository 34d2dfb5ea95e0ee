package orgweb_test

import (
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// A working group of 第二党支部 with a member from 第一党支部: its secretary
// saw that member's name on the list. They see their own people and how
// many others sit in the group, on the page and in the API.
func TestBranchSecretarySeesOnlyTheirPeopleInAGroup(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		res := w.Login(t, "committee").JSON("POST", "/api/v1/groups", map[string]any{"org_id": w.Branch2.ID, "name": "矛盾纠纷化解攻坚小组",
			"set_up_on": "2026-03-01", "members": []map[string]any{{"person_id": w.P1.ID, "role": "leader"}, {"person_id": w.P2.ID, "role": "member"}}})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		b2 := w.Login(t, "branch2")
		api := b2.Get("/api/v1/groups")
		if !strings.Contains(api.Body, w.P2.Name) || strings.Contains(api.Body, w.P1.Name) || !strings.Contains(api.Body, `"others":1`) {
			t.Fatalf("branch 2's API list: %s", api.Body)
		}
		page := b2.Get("/groups")
		if !strings.Contains(page.Body, w.P2.Name) || strings.Contains(page.Body, w.P1.Name) || !strings.Contains(page.Body, "另有1名其他组织成员") {
			t.Fatalf("branch 2's page shows the other branch's member, or not the count")
		}
	})
}

// PATCH /api/v1/groups/{id} changes what is sent; an empty list of members
// empties it; version is required and must be current.
func TestGroupPatchChangesWhatIsSent(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	res := c.JSON("POST", "/api/v1/groups", map[string]any{"org_id": w.Root.ID, "name": "平安建设领导小组", "set_up_on": "2026-03-01",
		"office": "政法委", "members": []map[string]any{{"person_id": w.P1.ID, "role": "leader"}}})
	g := res.Decode(t)
	path := "/api/v1/groups/" + webtest.Itoa(int64(g["id"].(float64)))
	if res := c.JSON("PATCH", path, map[string]any{"purpose": "统筹平安建设"}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("without version: %d", res.Status)
	}
	res = c.JSON("PATCH", path, map[string]any{"purpose": "统筹平安建设", "version": 1})
	if got := res.Decode(t); res.Status != http.StatusOK || got["office"] != "政法委" || got["purpose"] != "统筹平安建设" || len(got["members"].([]any)) != 1 {
		t.Fatalf("patch purpose: %d %s", res.Status, res.Body)
	}
	if res := c.JSON("PATCH", path, map[string]any{"members": []any{}, "version": 1}); res.Status != http.StatusConflict {
		t.Fatalf("stale: %d %s", res.Status, res.Body)
	}
	res = c.JSON("PATCH", path, map[string]any{"members": []any{}, "version": 2})
	if got := res.Decode(t); res.Status != http.StatusOK || len(got["members"].([]any)) != 0 {
		t.Fatalf("empty the members: %d %s", res.Status, res.Body)
	}
}

// PATCH /api/v1/orgs/{id} keeps what is not sent; moving is refused there.
func TestOrgPatchKeepsWhatIsNotSent(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	path := "/api/v1/orgs/" + webtest.Itoa(w.Branch1.ID)
	res := c.JSON("PATCH", path, map[string]any{"term_start": "2025-05-01", "version": 1})
	if got := res.Decode(t); res.Status != http.StatusOK || got["name"] != w.Branch1.Name || got["term_start"] != "2025-05-01" {
		t.Fatalf("patch term: %d %s", res.Status, res.Body)
	}
	res = c.JSON("PATCH", path, map[string]any{"parent_id": w.Branch2.ID, "version": 2})
	if got, _ := webtest.Fields(t, res)["parent_id"].(string); res.Status != http.StatusUnprocessableEntity || !strings.Contains(got, "调整隶属关系") {
		t.Fatalf("move by PATCH: %d %s", res.Status, res.Body)
	}
}

// The 换届 computation took its term lengths from a constant; they are
// configuration now (--term-years …), so a province with five-year terms
// sees a branch elected in 2023 as current.
func TestTermLengthsComeFromConfiguration(t *testing.T) {
	for years, want := range map[int]string{3: "overdue", 5: "current"} {
		w := webtest.NewWorldWith(t, store.SQLite, func(c *config.Config) { c.Terms.Years = years })
		res := w.Login(t, "committee").JSON("PATCH", "/api/v1/orgs/"+webtest.Itoa(w.Branch1.ID), map[string]any{"term_start": "2023-06-01", "version": 1})
		if got := res.Decode(t)["term_state"]; got != want {
			t.Errorf("%d-year terms: %v, want %s", years, got, want)
		}
	}
}
