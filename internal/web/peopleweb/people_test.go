package peopleweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func TestPersonLifecycleThroughAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "committee")
		good := webtest.ValidID("19880214", "135")
		bad := webtest.WrongCheck(good)
		body := map[string]any{"org_id": w.Branch1.ID, "name": "王　芳", "status": "full", "id_number": bad,
			"joined_on": "2012-07-01", "full_on": "2013-07-01", "phone": "1391234", "education": "本科X"}
		res := c.JSON("POST", "/api/v1/people", body)
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad person: %d %s", res.Status, res.Body)
		}
		fields := res.Decode(t)["error"].(map[string]any)["fields"].(map[string]any)
		if fields["id_number"] != "身份证号校验位不正确，请核对" || fields["phone"] == nil || fields["education"] != "学历不在字典中" {
			t.Fatalf("field messages: %v", fields)
		}
		if n, _ := w.Store.People(t.Context(), w.Users["committee"].Scope(), store.PersonFilter{Query: "王芳"}); n.Total != 0 {
			t.Fatal("a refused person was saved")
		}
		body["id_number"], body["phone"], body["education"] = good, "13912345678", "大学本科"
		res = c.JSON("POST", "/api/v1/people", body)
		if res.Status != http.StatusCreated {
			t.Fatalf("good person: %d %s", res.Status, res.Body)
		}
		got := res.Decode(t)
		// Name padding removed, birth date and sex derived from the ID, ID and phone masked.
		if got["name"] != "王芳" || got["birth_date"] != "1988-02-14" || got["sex"] != "male" ||
			got["id_number"] != good[:3]+"***********"+good[14:] || got["phone"] != "139****5678" {
			t.Fatalf("created: %v", got)
		}
		id := webtest.Itoa(int64(got["id"].(float64)))
		// Revealing the full number is allowed for the committee and audited.
		res = c.JSON("POST", "/api/v1/people/"+id+"/reveal", nil)
		if res.Status != http.StatusOK || res.Decode(t)["id_number"] != good {
			t.Fatalf("reveal: %d %s", res.Status, res.Body)
		}
		// A branch secretary may not reveal.
		b1 := w.Login(t, "branch1")
		if res := b1.JSON("POST", "/api/v1/people/"+id+"/reveal", nil); res.Status != http.StatusForbidden {
			t.Fatalf("branch reveal: %d", res.Status)
		}
		// Search by pinyin initials, filter by status and age band.
		res = b1.Get("/api/v1/people?q=wf&status=full&age=35-45")
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "王芳") || res.Decode(t)["total"].(float64) != 1 {
			t.Fatalf("search: %s", res.Body)
		}
		// Stale edit: version 1 was already replaced by an edit.
		edit := map[string]any{"name": "王芳", "status": "full", "id_number": good, "joined_on": "2012-07-01", "full_on": "2013-07-01",
			"position": "科长", "version": 1}
		if res := b1.JSON("PATCH", "/api/v1/people/"+id, edit); res.Status != http.StatusOK {
			t.Fatalf("edit: %d %s", res.Status, res.Body)
		}
		if res := b1.JSON("PATCH", "/api/v1/people/"+id, edit); res.Status != http.StatusConflict || !strings.Contains(res.Body, "已被他人修改") {
			t.Fatalf("stale edit: %d %s", res.Status, res.Body)
		}
		// Transfer out: gone from the current roster, kept with history.
		res = b1.JSON("POST", "/api/v1/people/"+id+"/transfers", map[string]any{"direction": "out", "on": "2026-06-01", "external": "省委政法委机关党委"})
		if res.Status != http.StatusCreated {
			t.Fatalf("transfer out: %d %s", res.Status, res.Body)
		}
		if res := b1.Get("/api/v1/people?q=wf"); res.Decode(t)["total"].(float64) != 0 {
			t.Fatalf("transferred person still listed: %s", res.Body)
		}
		res = b1.Get("/api/v1/people/" + id + "/transfers")
		if !strings.Contains(res.Body, "省委政法委机关党委") || !strings.Contains(res.Body, `"direction":"out"`) {
			t.Fatalf("history: %s", res.Body)
		}
	})
}

func TestPersonFormShowsMessagesBesideFields(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "branch1")
	good := webtest.ValidID("19920101", "246")
	res := c.Form("/people", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "name": {""}, "status": {"full"},
		"id_number": {webtest.WrongCheck(good)}, "joined_on": {"2015/07/01"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.Status)
	}
	for _, want := range []string{`data-field="name"`, "此项必填", `data-field="id_number"`, `data-field="joined_on"`, "日期格式不正确"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	// A member arriving from outside is created with the record of the arrival.
	res = c.Form("/people", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "name": {"赵敏"}, "status": {"full"}, "id_number": {good},
		"joined_on": {"2015-07-01"}, "full_on": {"2016-07-01"}, "transfer_from": {"市委组织部机关党委"}, "transfer_on": {"2026-03-01"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("transfer in: %d %s", res.Status, res.Body)
	}
	page := c.Get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, "市委组织部机关党委") || !strings.Contains(page.Body, "转入") {
		t.Fatalf("person page lacks the arrival: %s", page.Body)
	}
}

// Paging and filtering from the roster page ask htmx for the results block
// only: the table and pager, without the layout or the filter form.
func TestRosterResultsFragment(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	req, _ := http.NewRequest("GET", w.URL+"/people?q=zw", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "roster-results")
	res := c.Do(req)
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Body, `<div id="roster-results"`) ||
		!strings.Contains(res.Body, "张伟") || strings.Contains(res.Body, "李娜") || strings.Contains(res.Body, "<form") {
		t.Fatalf("fragment: %d %.300s", res.Status, res.Body)
	}
	if full := c.Get("/people?q=zw"); !strings.Contains(full.Body, "<form") || !strings.Contains(full.Body, `id="roster-results"`) {
		t.Fatal("the full page lacks the form or the results block")
	}
}
