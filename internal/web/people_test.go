package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

func TestPersonLifecycleThroughAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		c := w.login(t, "committee")
		good := validID("19880214", "135")
		bad := wrongCheck(good)
		body := map[string]any{"org_id": w.branch1.ID, "name": "王　芳", "status": "full", "id_number": bad,
			"joined_on": "2012-07-01", "full_on": "2013-07-01", "phone": "1391234", "education": "本科X"}
		res := c.json("POST", "/api/v1/people", body)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad person: %d %s", res.status, res.body)
		}
		fields := res.decode(t)["error"].(map[string]any)["fields"].(map[string]any)
		if fields["id_number"] != "身份证号校验位不正确，请核对" || fields["phone"] == nil || fields["education"] != "学历不在字典中" {
			t.Fatalf("field messages: %v", fields)
		}
		if n, _ := w.st.People(t.Context(), w.users["committee"].Scope(), store.PersonFilter{Query: "王芳"}); n.Total != 0 {
			t.Fatal("a refused person was saved")
		}
		body["id_number"], body["phone"], body["education"] = good, "13912345678", "大学本科"
		res = c.json("POST", "/api/v1/people", body)
		if res.status != http.StatusCreated {
			t.Fatalf("good person: %d %s", res.status, res.body)
		}
		got := res.decode(t)
		// Name padding removed, birth date and sex derived from the ID, ID and phone masked.
		if got["name"] != "王芳" || got["birth_date"] != "1988-02-14" || got["sex"] != "male" ||
			got["id_number"] != good[:3]+"***********"+good[14:] || got["phone"] != "139****5678" {
			t.Fatalf("created: %v", got)
		}
		id := itoa(int64(got["id"].(float64)))
		// Revealing the full number is allowed for the committee and audited.
		res = c.json("POST", "/api/v1/people/"+id+"/reveal", nil)
		if res.status != http.StatusOK || res.decode(t)["id_number"] != good {
			t.Fatalf("reveal: %d %s", res.status, res.body)
		}
		// A branch secretary may not reveal.
		b1 := w.login(t, "branch1")
		if res := b1.json("POST", "/api/v1/people/"+id+"/reveal", nil); res.status != http.StatusForbidden {
			t.Fatalf("branch reveal: %d", res.status)
		}
		// Search by pinyin initials, filter by status and age band.
		res = b1.get("/api/v1/people?q=wf&status=full&age=35-45")
		if res.status != http.StatusOK || !strings.Contains(res.body, "王芳") || res.decode(t)["total"].(float64) != 1 {
			t.Fatalf("search: %s", res.body)
		}
		// Stale edit: version 1 was already replaced by an edit.
		edit := map[string]any{"name": "王芳", "status": "full", "id_number": good, "joined_on": "2012-07-01", "full_on": "2013-07-01",
			"position": "科长", "version": 1}
		if res := b1.json("PUT", "/api/v1/people/"+id, edit); res.status != http.StatusOK {
			t.Fatalf("edit: %d %s", res.status, res.body)
		}
		if res := b1.json("PUT", "/api/v1/people/"+id, edit); res.status != http.StatusConflict || !strings.Contains(res.body, "已被他人修改") {
			t.Fatalf("stale edit: %d %s", res.status, res.body)
		}
		// Transfer out: gone from the current roster, kept with history.
		res = b1.json("POST", "/api/v1/people/"+id+"/transfers", map[string]any{"direction": "out", "on": "2026-06-01", "external": "省委政法委机关党委"})
		if res.status != http.StatusCreated {
			t.Fatalf("transfer out: %d %s", res.status, res.body)
		}
		if res := b1.get("/api/v1/people?q=wf"); res.decode(t)["total"].(float64) != 0 {
			t.Fatalf("transferred person still listed: %s", res.body)
		}
		res = b1.get("/api/v1/people/" + id + "/transfers")
		if !strings.Contains(res.body, "省委政法委机关党委") || !strings.Contains(res.body, `"direction":"out"`) {
			t.Fatalf("history: %s", res.body)
		}
	})
}

func TestPersonFormShowsMessagesBesideFields(t *testing.T) {
	w := newWorld(t, store.SQLite)
	c := w.login(t, "branch1")
	good := validID("19920101", "246")
	res := c.form("/people", url.Values{"org_id": {itoa(w.branch1.ID)}, "name": {""}, "status": {"full"},
		"id_number": {wrongCheck(good)}, "joined_on": {"2015/07/01"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.status)
	}
	for _, want := range []string{`data-field="name"`, "此项必填", `data-field="id_number"`, `data-field="joined_on"`, "日期格式不正确"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	// A member arriving from outside is created with the record of the arrival.
	res = c.form("/people", url.Values{"org_id": {itoa(w.branch1.ID)}, "name": {"赵敏"}, "status": {"full"}, "id_number": {good},
		"joined_on": {"2015-07-01"}, "full_on": {"2016-07-01"}, "transfer_from": {"市委组织部机关党委"}, "transfer_on": {"2026-03-01"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("transfer in: %d %s", res.status, res.body)
	}
	page := c.get(res.header.Get("Location"))
	if !strings.Contains(page.body, "市委组织部机关党委") || !strings.Contains(page.body, "转入") {
		t.Fatalf("person page lacks the arrival: %s", page.body)
	}
}

// wrongCheck returns the ID number with a different, wrong check character.
func wrongCheck(id string) string {
	const chars = "0123456789X"
	return id[:17] + string(chars[(strings.IndexByte(chars, id[17])+1)%len(chars)])
}

// Paging and filtering from the roster page ask htmx for the results block
// only: the table and pager, without the layout or the filter form.
func TestRosterResultsFragment(t *testing.T) {
	w := newWorld(t, store.SQLite)
	c := w.login(t, "committee")
	req, _ := http.NewRequest("GET", w.url+"/people?q=zw", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "roster-results")
	res := c.do(req)
	if res.status != http.StatusOK || !strings.HasPrefix(res.body, `<div id="roster-results"`) ||
		!strings.Contains(res.body, "张伟") || strings.Contains(res.body, "李娜") || strings.Contains(res.body, "<form") {
		t.Fatalf("fragment: %d %.300s", res.status, res.body)
	}
	if full := c.get("/people?q=zw"); !strings.Contains(full.body, "<form") || !strings.Contains(full.body, `id="roster-results"`) {
		t.Fatal("the full page lacks the form or the results block")
	}
}
