package dictweb_test

import (
	"net/http"
	"testing"

	"dangjian/internal/dict"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// A label or alias names one item of its dictionary, so a value resolves to
// one label: a clash is refused beside the field, by the index of terms.
func TestLabelsAndAliasesNameOneItem(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sa := w.Login(t, "sysadmin")
		for _, tc := range []struct {
			body        map[string]any
			field, want string
		}{
			{map[string]any{"label": "本科"}, "label", "该字典中已有同名条目或别名"},                          // an alias of 大学本科
			{map[string]any{"label": "本科生", "aliases": "本科"}, "aliases", "别名已是本字典中其他条目的名称或别名"}, // the same alias
			{map[string]any{"label": "专升本", "aliases": "大学专科"}, "aliases", "别名已是本字典中其他条目的名称或别名"},
		} {
			res := sa.JSON("POST", "/api/v1/dicts/education", tc.body)
			if got, _ := webtest.Fields(t, res)[tc.field].(string); res.Status != http.StatusConflict || got != tc.want {
				t.Errorf("%v: %d %s", tc.body, res.Status, res.Body)
			}
		}
		// An item's own aliases may change freely; a PATCH needs the version.
		it := admDictItem(t, w, dict.Education, "大学本科")
		path := "/api/v1/dicts/education/" + webtest.Itoa(it.ID)
		if res := sa.JSON("PATCH", path, map[string]any{"aliases": []string{"本科", "学士"}}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("without version: %d", res.Status)
		}
		res := sa.JSON("PATCH", path, map[string]any{"aliases": []string{"本科", "学士"}, "version": it.Version})
		if res.Status != http.StatusOK {
			t.Fatalf("new alias: %d %s", res.Status, res.Body)
		}
		// The new alias reaches the person form's check at once.
		c := w.Login(t, "committee")
		res = c.JSON("POST", "/api/v1/people", map[string]any{"org_id": w.Branch1.ID, "name": "赵敏", "status": "masses",
			"id_number": webtest.ValidID("19920808", "444"), "education": "学士"})
		if res.Status != http.StatusCreated || res.Decode(t)["education"] != "大学本科" {
			t.Fatalf("a person with the new alias: %d %s", res.Status, res.Body)
		}
	})
}
