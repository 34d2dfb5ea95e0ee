package dictweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/dict"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func admDictItem(t *testing.T, w *webtest.World, name, label string) dict.Item {
	t.Helper()
	items, err := w.Store.DictItems(t.Context(), name)
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
		w := webtest.NewWorld(t, d)
		sa := w.Login(t, "sysadmin")
		b1 := w.Login(t, "branch1")

		// Added through the API: every logged-in user reads it, the person form offers it.
		res := sa.JSON("POST", "/api/v1/dicts/education", map[string]any{"label": "博士后", "aliases": "博后、博士后研究人员", "sort_order": 5})
		if res.Status != http.StatusCreated {
			t.Fatalf("add: %d %s", res.Status, res.Body)
		}
		if got := res.Decode(t); len(got["aliases"].([]any)) != 2 || got["version"].(float64) != 1 {
			t.Fatalf("added: %v", got)
		}
		res = b1.Get("/api/v1/dicts/education")
		if res.Status != http.StatusOK {
			t.Fatalf("read: %d", res.Status)
		}
		items := res.Decode(t)["items"].([]any)
		if first := items[0].(map[string]any); first["label"] != "博士后" {
			t.Fatalf("sort order not kept: %v", first)
		}
		if res := b1.Get("/people/new"); !strings.Contains(res.Body, `<option value="博士后">博士后</option>`) {
			t.Fatal("the person form does not offer the new item")
		}

		// Added through the page, aliases separated any usual way.
		res = sa.Form("/dicts/position", url.Values{"label": {"二级调研员"}, "aliases": {"调研员, 二调 二级调研"}, "sort_order": {""}})
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/dicts?d=position&notice=created") {
			t.Fatalf("page add: %d %s", res.Status, res.Header.Get("Location"))
		}
		created := res.Header.Get("Location")
		it := admDictItem(t, w, dict.Position, "二级调研员")
		if strings.Join(it.Aliases, "|") != "调研员|二调|二级调研" {
			t.Fatalf("aliases: %q", it.Aliases)
		}
		page := sa.Get(created)
		if !strings.Contains(page.Body, "已创建") || !strings.Contains(page.Body, `value="调研员、二调、二级调研"`) {
			t.Fatal("dictionary page lacks the new item")
		}
		// Disabled through its row's form: kept, but no longer offered.
		edit := url.Values{"id": {webtest.Itoa(it.ID)}, "version": {webtest.Itoa(it.Version)}, "label": {"二级调研员"}, "aliases": {"调研员"},
			"sort_order": {"200"}, "disabled": {"true"}}
		if res := sa.Form("/dicts/position", edit); res.Status != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", res.Status, res.Body)
		}
		if res := b1.Get("/people/new"); strings.Contains(res.Body, "二级调研员") {
			t.Fatal("a disabled item is still offered")
		}
		if res := b1.Get("/api/v1/dicts/position"); !strings.Contains(res.Body, `"disabled":true`) {
			t.Fatal("the API does not mark the disabled item")
		}
		// The same form again is a stale edit.
		res = sa.Form("/dicts/position", edit)
		if res.Status != http.StatusConflict || !strings.Contains(res.Body, "已被他人修改") {
			t.Fatalf("stale edit: %d", res.Status)
		}
		// An API client may send only what changes.
		res = sa.JSON("PATCH", "/api/v1/dicts/position/"+webtest.Itoa(it.ID), map[string]any{"disabled": false, "version": it.Version + 1})
		if res.Status != http.StatusOK || res.Decode(t)["label"] != "二级调研员" {
			t.Fatalf("partial update: %d %s", res.Status, res.Body)
		}
		if it := admDictItem(t, w, dict.Position, "二级调研员"); it.Disabled || it.SortOrder != 200 || len(it.Aliases) != 1 {
			t.Fatalf("after partial update: %+v", it)
		}

		// Bad input: the message beside the field, nothing saved.
		before, _ := w.Store.DictItems(t.Context(), dict.Education)
		for _, tc := range []struct {
			body        map[string]any
			field, want string
			status      int
		}{
			{map[string]any{"label": ""}, "label", "此项必填", 422},
			{map[string]any{"label": "中职", "sort_order": "abc"}, "sort_order", "请填写数字", 422},
			{map[string]any{"label": "大学本科"}, "label", "该字典中已有同名条目或别名", 409},
		} {
			res := sa.JSON("POST", "/api/v1/dicts/education", tc.body)
			if res.Status != tc.status {
				t.Fatalf("%v: %d %s", tc.body, res.Status, res.Body)
			}
			if got, _ := webtest.Fields(t, res)[tc.field].(string); got != tc.want {
				t.Errorf("%v: fields %s", tc.body, res.Body)
			}
		}
		res = sa.Form("/dicts/education", url.Values{"label": {""}, "aliases": {"某别名"}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `<p class="error" data-field="label">此项必填</p>`) ||
			!strings.Contains(res.Body, `value="某别名"`) {
			t.Fatalf("page refusal: %d", res.Status)
		}
		if after, _ := w.Store.DictItems(t.Context(), dict.Education); len(after) != len(before) {
			t.Fatal("a refused item was saved")
		}

		// Unknown dictionaries do not exist.
		for _, res := range []webtest.Response{b1.Get("/api/v1/dicts/nope"), sa.Form("/dicts/nope", url.Values{"label": {"x"}}),
			sa.JSON("POST", "/api/v1/dicts/nope", map[string]any{"label": "x"})} {
			if res.Status != http.StatusNotFound {
				t.Errorf("unknown dictionary: %d", res.Status)
			}
		}
		entries, _, err := w.Store.AuditEntries(t.Context(), webtest.AuditFilter("sysadmin", "dict."))
		if err != nil || len(entries) != 4 {
			t.Fatalf("dictionary audit: %d %v", len(entries), err)
		}
	})
}
