package peopleweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// stored is a person as the database holds them, full numbers included.
func stored(t *testing.T, w *webtest.World, id int64) store.PersonRow {
	t.Helper()
	p, err := w.Store.Person(context.Background(), auth.Everything, id)
	if err != nil {
		t.Fatal(err)
	}
	return *p
}

// The edit form put the unmasked ID number and phone into the page of a
// 支部书记, who may not see them, and the full view was audited for nobody.
// The form shows them masked to every role: a full value is only shown by
// the audited reveal.
func TestEditFormNeverShowsFullNumbers(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	p := stored(t, w, w.P1.ID)
	for _, user := range []string{"branch1", "committee"} {
		res := w.Login(t, user).Get("/people/" + webtest.Itoa(p.ID) + "/edit")
		if res.Status != http.StatusOK {
			t.Fatalf("%s edit form: %d", user, res.Status)
		}
		if strings.Contains(res.Body, p.IDNumber) || strings.Contains(res.Body, p.Phone) {
			t.Errorf("%s's edit form shows the full ID number or phone", user)
		}
		if !strings.Contains(res.Body, `value="`+people.MaskIDNumber(p.IDNumber)+`"`) || !strings.Contains(res.Body, `value="`+people.MaskPhone(p.Phone)+`"`) {
			t.Errorf("%s's edit form lacks the masked values", user)
		}
	}
	if entries, _, _ := w.Store.AuditEntries(context.Background(), audit.Filter{Action: "person.view_sensitive"}); len(entries) != 0 {
		t.Fatalf("a full view was logged: %+v", entries)
	}
}

// A 支部书记 saves the edit form as it was shown, with one change: the masked
// ID number and phone keep the stored values; a refused save shows the form
// again with the masks, never the stored numbers.
func TestSavingTheEditFormKeepsMaskedNumbers(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		before := stored(t, w, w.P1.ID)
		c := w.Login(t, "branch1")
		form := url.Values{"version": {webtest.Itoa(before.Version)}, "name": {before.Name}, "id_number": {people.MaskIDNumber(before.IDNumber)},
			"sex": {string(before.Sex)}, "birth_date": {before.BirthDate.String()}, "ethnic": {before.Ethnic}, "education": {before.Education},
			"phone": {people.MaskPhone(before.Phone)}, "unit_id": {""}, "position": {"科长"}, "status": {"full"},
			"applied_on": {""}, "activist_on": {""}, "candidate_on": {""}, "joined_on": {before.JoinedOn.String()}, "full_on": {"1900-01-01"}}
		res := c.Form("/people/"+webtest.Itoa(before.ID), form)
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad 转正时间: %d", res.Status)
		}
		if strings.Contains(res.Body, before.IDNumber) || !strings.Contains(res.Body, people.MaskIDNumber(before.IDNumber)) {
			t.Fatal("the refused form shows the full ID number, or not the mask")
		}
		form.Set("full_on", before.FullOn.String())
		if res := c.Form("/people/"+webtest.Itoa(before.ID), form); res.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.Status, res.Body)
		}
		after := stored(t, w, w.P1.ID)
		if after.IDNumber != before.IDNumber || after.Phone != before.Phone || after.Position != "科长" {
			t.Fatalf("after saving: ID %q phone %q position %q", after.IDNumber, after.Phone, after.Position)
		}
	})
}

// PUT saved every missing field as empty: a 支部书记, who only ever gets
// masked numbers, erased the ID number and phone with any edit. PATCH changes
// the fields sent; a masked value sent back is "unchanged"; an empty value
// clears; version is required.
func TestPatchChangesOnlyWhatIsSent(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		before := stored(t, w, w.P1.ID)
		c := w.Login(t, "branch1")
		path := "/api/v1/people/" + webtest.Itoa(before.ID)
		got := c.Get(path).Decode(t)
		res := c.JSON("PATCH", path, map[string]any{"position": "科长", "version": got["version"]})
		if res.Status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.Status, res.Body)
		}
		after := stored(t, w, before.ID)
		if after.IDNumber != before.IDNumber || after.Phone != before.Phone || after.Education != before.Education ||
			after.JoinedOn != before.JoinedOn || after.Position != "科长" {
			t.Fatalf("patched one field, got %+v", after.Person)
		}
		// Everything as the API returned it, masks included, is no change.
		got = c.Get(path).Decode(t)
		if res := c.JSON("PATCH", path, got); res.Status != http.StatusOK {
			t.Fatalf("patch with the answer as it came: %d %s", res.Status, res.Body)
		}
		if again := stored(t, w, before.ID); again.IDNumber != before.IDNumber || again.Phone != before.Phone {
			t.Fatalf("masked values sent back changed the numbers: %q %q", again.IDNumber, again.Phone)
		}
		version := got["version"].(float64) + 1
		for _, tc := range []struct {
			body        map[string]any
			status      int
			field, want string
		}{
			{map[string]any{"position": "副科长"}, 422, "version", "此项必填"},
			{map[string]any{"position": "副科长", "version": 1}, 409, "version", "该记录已被他人修改，请刷新后重新编辑"},
			{map[string]any{"id_number": "370***********0000", "version": version}, 422, "id_number", "这是脱敏显示的号码，请保持原样（不修改）或填写完整号码"},
			{map[string]any{"name": []string{"张伟", "王伟"}, "version": version}, 422, "name", "此项只能填写一个值"},
			{map[string]any{"org_id": w.Branch2.ID, "version": version}, 422, "org_id", "调整所在党组织请使用“组织关系转接”"},
		} {
			res := c.JSON("PATCH", path, tc.body)
			if got, _ := webtest.Fields(t, res)[tc.field].(string); res.Status != tc.status || got != tc.want {
				t.Errorf("%v: %d %s", tc.body, res.Status, res.Body)
			}
		}
		if again := stored(t, w, before.ID); again.Position != "科长" || again.Name != before.Name || again.Version != int64(version) {
			t.Fatalf("a refused patch changed the person: %+v", again.Person)
		}
		// An empty value clears the phone.
		if res := c.JSON("PATCH", path, map[string]any{"phone": "", "version": version}); res.Status != http.StatusOK {
			t.Fatalf("clear phone: %d %s", res.Status, res.Body)
		}
		if again := stored(t, w, before.ID); again.Phone != "" || again.IDNumber != before.IDNumber {
			t.Fatalf("after clearing the phone: %q %q", again.Phone, again.IDNumber)
		}
	})
}

// A corrected ID number carries the birth date and sex derived from it,
// unless the client sent them too.
func TestCorrectedIDNumberCarriesBirthDateAndSex(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	path := "/api/v1/people/" + webtest.Itoa(w.P1.ID)
	corrected := webtest.ValidID("19850412", "122") // a month later, and even: a woman
	res := c.JSON("PATCH", path, map[string]any{"id_number": corrected, "version": 1})
	if res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	if got := res.Decode(t); got["birth_date"] != "1985-04-12" || got["sex"] != "female" {
		t.Fatalf("derived fields did not follow: %v %v", got["birth_date"], got["sex"])
	}
}

// A 15-digit first-generation number is refused with its 18-digit form.
func TestFifteenDigitIDNumberThroughTheAPI(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	res := w.Login(t, "committee").JSON("POST", "/api/v1/people", map[string]any{"org_id": w.Branch1.ID, "name": "老党员", "status": "masses",
		"id_number": "370102491231002"})
	want := "这是15位旧身份证号，对应的18位号码为 " + webtest.ValidID("19491231", "002") + "，请改填18位号码"
	if got, _ := webtest.Fields(t, res)["id_number"].(string); res.Status != http.StatusUnprocessableEntity || got != want {
		t.Fatalf("15 digits: %d %s", res.Status, res.Body)
	}
}

// The dictionaries are checked where the person is written, for every
// caller, and an alias is saved as its label (本科 → 大学本科), not as typed.
func TestDictionaryAliasIsSavedAsItsLabel(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	res := w.Login(t, "committee").JSON("POST", "/api/v1/people", map[string]any{"org_id": w.Branch1.ID, "name": "赵敏", "status": "masses",
		"id_number": webtest.ValidID("19920808", "444"), "education": "本科", "ethnic": "回"})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	if got := res.Decode(t); got["education"] != "大学本科" || got["ethnic"] != "回族" {
		t.Fatalf("saved as typed: %v %v", got["education"], got["ethnic"])
	}
}

// TestBrowserSecretaryEditsWithoutSeeingOrErasingNumbers is the edit as a
// 支部书记 does it in the browser: the form shows the masks, and saving a
// change of position keeps the ID number and phone.
func TestBrowserSecretaryEditsWithoutSeeingOrErasingNumbers(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	before := stored(t, w, w.P1.ID)
	tb := b.NewTab(t, w.URL)
	tb.LoginOK("branch1")
	if status := tb.Open("/people/" + webtest.Itoa(before.ID) + "/edit"); status != http.StatusOK {
		t.Fatalf("edit form: %d", status)
	}
	if got := tb.Value("#f-id_number"); got != people.MaskIDNumber(before.IDNumber) {
		t.Fatalf("the ID number field holds %q", got)
	}
	if html := tb.PageHTML(); strings.Contains(html, before.IDNumber) || strings.Contains(html, before.Phone) {
		t.Fatal("the page holds the full ID number or phone")
	}
	tb.Choose("#f-position", "科长")
	if status := tb.ClickTo(webtest.Button("保存")); status != http.StatusOK {
		t.Fatalf("save: %d; page says %q", status, tb.PageText())
	}
	after := stored(t, w, before.ID)
	if after.IDNumber != before.IDNumber || after.Phone != before.Phone || after.Position != "科长" {
		t.Fatalf("after saving in the browser: ID %q phone %q position %q", after.IDNumber, after.Phone, after.Position)
	}
}
