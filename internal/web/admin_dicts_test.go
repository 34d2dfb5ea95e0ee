package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/dict"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

func admDictItem(t *testing.T, w *world, name, label string) dict.Item {
	t.Helper()
	items, err := w.st.DictItems(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("%s has no item %q", name, label)
	return dict.Item{}
}

func TestDictionaryEditsReachTheForms(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		sa := w.login(t, "sysadmin")
		b1 := w.login(t, "branch1")

		// Added through the API: every logged-in user reads it, the person form offers it.
		res := sa.json("POST", "/api/v1/dicts/education", map[string]any{"label": "博士后", "aliases": "博后、博士后研究人员", "sort_order": 5})
		if res.status != http.StatusCreated {
			t.Fatalf("add: %d %s", res.status, res.body)
		}
		if got := res.decode(t); len(got["aliases"].([]any)) != 2 || got["version"].(float64) != 1 {
			t.Fatalf("added: %v", got)
		}
		res = b1.get("/api/v1/dicts/education")
		if res.status != http.StatusOK {
			t.Fatalf("read: %d", res.status)
		}
		items := res.decode(t)["items"].([]any)
		if first := items[0].(map[string]any); first["label"] != "博士后" {
			t.Fatalf("sort order not kept: %v", first)
		}
		if res := b1.get("/people/new"); !strings.Contains(res.body, `<option value="博士后">博士后</option>`) {
			t.Fatal("the person form does not offer the new item")
		}

		// Added through the page, aliases separated any usual way.
		res = sa.form("/dicts/position", url.Values{"label": {"二级调研员"}, "aliases": {"调研员, 二调 二级调研"}, "sort_order": {""}})
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/dicts?d=position&notice=created") {
			t.Fatalf("page add: %d %s", res.status, res.header.Get("Location"))
		}
		created := res.header.Get("Location")
		it := admDictItem(t, w, dict.Position, "二级调研员")
		if strings.Join(it.Aliases, "|") != "调研员|二调|二级调研" {
			t.Fatalf("aliases: %q", it.Aliases)
		}
		page := sa.get(created)
		if !strings.Contains(page.body, "已创建") || !strings.Contains(page.body, `value="调研员、二调、二级调研"`) {
			t.Fatal("dictionary page lacks the new item")
		}
		// Disabled through its row's form: kept, but no longer offered.
		edit := url.Values{"id": {itoa(it.ID)}, "version": {itoa(it.Version)}, "label": {"二级调研员"}, "aliases": {"调研员"},
			"sort_order": {"200"}, "disabled": {"true"}}
		if res := sa.form("/dicts/position", edit); res.status != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", res.status, res.body)
		}
		if res := b1.get("/people/new"); strings.Contains(res.body, "二级调研员") {
			t.Fatal("a disabled item is still offered")
		}
		if res := b1.get("/api/v1/dicts/position"); !strings.Contains(res.body, `"disabled":true`) {
			t.Fatal("the API does not mark the disabled item")
		}
		// The same form again is a stale edit.
		res = sa.form("/dicts/position", edit)
		if res.status != http.StatusConflict || !strings.Contains(res.body, "已被他人修改") {
			t.Fatalf("stale edit: %d", res.status)
		}
		// An API client may send only what changes.
		res = sa.json("POST", "/api/v1/dicts/position", map[string]any{"id": it.ID, "disabled": false})
		if res.status != http.StatusOK || res.decode(t)["label"] != "二级调研员" {
			t.Fatalf("partial update: %d %s", res.status, res.body)
		}
		if it := admDictItem(t, w, dict.Position, "二级调研员"); it.Disabled || it.SortOrder != 200 || len(it.Aliases) != 1 {
			t.Fatalf("after partial update: %+v", it)
		}

		// Bad input: the message beside the field, nothing saved.
		before, _ := w.st.DictItems(t.Context(), dict.Education)
		for _, tc := range []struct {
			body        map[string]any
			field, want string
			status      int
		}{
			{map[string]any{"label": ""}, "label", "此项必填", 422},
			{map[string]any{"label": "中职", "sort_order": "abc"}, "sort_order", "请填写数字", 422},
			{map[string]any{"label": "大学本科"}, "label", "该字典中已有同名条目", 409},
		} {
			res := sa.json("POST", "/api/v1/dicts/education", tc.body)
			if res.status != tc.status {
				t.Fatalf("%v: %d %s", tc.body, res.status, res.body)
			}
			if got, _ := admFields(t, res)[tc.field].(string); got != tc.want {
				t.Errorf("%v: fields %s", tc.body, res.body)
			}
		}
		res = sa.form("/dicts/education", url.Values{"label": {""}, "aliases": {"某别名"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `<p class="error" data-field="label">此项必填</p>`) ||
			!strings.Contains(res.body, `value="某别名"`) {
			t.Fatalf("page refusal: %d", res.status)
		}
		if after, _ := w.st.DictItems(t.Context(), dict.Education); len(after) != len(before) {
			t.Fatal("a refused item was saved")
		}

		// Unknown dictionaries do not exist.
		for _, res := range []response{b1.get("/api/v1/dicts/nope"), sa.form("/dicts/nope", url.Values{"label": {"x"}}),
			sa.json("POST", "/api/v1/dicts/nope", map[string]any{"label": "x"})} {
			if res.status != http.StatusNotFound {
				t.Errorf("unknown dictionary: %d", res.status)
			}
		}
		entries, _, err := w.st.AuditEntries(t.Context(), auditFilter("sysadmin", "dict."))
		if err != nil || len(entries) != 4 {
			t.Fatalf("dictionary audit: %d %v", len(entries), err)
		}
	})
}
