package peopleweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// The edit form says the organisation changes through 组织关系转接 and links
// there; 取消 returns to the page the user came from (kept across a refused
// save), never to another site; the person page links 所在组织 to the
// organisation.
func TestPersonEditFormLeadsBack(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	person := fmt.Sprintf("/people/%d", w.P1.ID)
	show := c.Get(person).Body
	if !strings.Contains(show, fmt.Sprintf(`<dd id="person-org"><a href="/orgs/%d">第一党支部</a></dd>`, w.Branch1.ID)) {
		t.Error("所在组织 does not lead to the organisation")
	}

	req, _ := http.NewRequest("GET", w.URL+person+"/edit", nil)
	req.Header.Set("Referer", w.URL+"/people?tab=all&q=zw")
	edit := c.Do(req).Body
	if !strings.Contains(edit, `<a href="/people?tab=all&amp;q=zw" class="button">取消</a>`) {
		t.Error("取消 does not return to the filtered roster the user came from")
	}
	if !strings.Contains(edit, "所在党组织须通过") || !strings.Contains(edit, person+`#transfer">组织关系转接</a>`) {
		t.Error("the edit form does not say the organisation changes through 组织关系转接")
	}
	if plain := c.Get(person + "/edit").Body; !strings.Contains(plain, `<a href="`+person+`" class="button">取消</a>`) {
		t.Error("without a page to return to, 取消 does not lead to the person")
	}
	req, _ = http.NewRequest("GET", w.URL+person+"/edit", nil)
	req.Header.Set("Referer", "https://evil.example/phish")
	if other := c.Do(req).Body; strings.Contains(other, "evil.example") {
		t.Error("取消 leads to another site")
	}
	if odd := c.Get(person + "/edit?back=//evil.example").Body; strings.Contains(odd, "evil.example") {
		t.Error("取消 follows a back address to another site")
	}

	// A refused save keeps where 取消 leads.
	res := c.Form(person, url.Values{"name": {""}, "version": {fmt.Sprint(w.P1.Version)}, "back": {"/people?tab=all&q=zw"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `<a href="/people?tab=all&amp;q=zw" class="button">取消</a>`) {
		t.Errorf("after a refused save: %d, 取消 lost", res.Status)
	}
}
