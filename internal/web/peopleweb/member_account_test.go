package peopleweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func TestSecretaryOpensMemberAccount(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		p := webtest.MustPerson(t, w.Store, w.Branch1.ID, "王小明", "19950101", "321")
		b1 := w.Login(t, "branch1")
		res := b1.JSON("POST", "/api/v1/people/"+webtest.Itoa(p.ID)+"/account", nil)
		if res.Status != http.StatusCreated {
			t.Fatalf("open account: %d %s", res.Status, res.Body)
		}
		got := res.Decode(t)
		user := got["user"].(map[string]any)
		username, password := user["username"].(string), got["temporary_password"].(string)
		if username != "wxm"+p.IDNumber[14:] || user["role"] != "member" || len(password) < 10 {
			t.Fatalf("account: %v", got)
		}
		// The member logs in with the temporary password, is told who set it, and must change it first.
		m := w.Client(t)
		res = m.JSON("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": password})
		if res.Status != http.StatusOK || res.Decode(t)["password_change_required"] != true {
			t.Fatalf("member login: %d %s", res.Status, res.Body)
		}
		if issued, _ := res.Decode(t)["password_issued"].(map[string]any); issued["by"] != "branch1" {
			t.Fatalf("the member is not told who set the password: %s", res.Body)
		}
		if res := m.Get("/api/v1/me/person"); res.Status != http.StatusForbidden {
			t.Fatalf("before changing the password: %d", res.Status)
		}
		if res := m.JSON("POST", "/api/v1/me/password", map[string]any{"current": password, "password": "Xuexi#2026wxm", "confirm": "Xuexi#2026wxm"}); res.Status != http.StatusNoContent {
			t.Fatalf("change password: %d %s", res.Status, res.Body)
		}
		if res := m.Get("/api/v1/me/person"); res.Status != http.StatusOK || !strings.Contains(res.Body, "王小明") {
			t.Fatalf("own record: %d %s", res.Status, res.Body)
		}
		// One account per person, said beside the field on the API and above the form on the page.
		res = b1.JSON("POST", "/api/v1/people/"+webtest.Itoa(p.ID)+"/account", map[string]any{"username": "wangxm2"})
		if res.Status != http.StatusConflict || webtest.Fields(t, res)["person_id"] != "此人已开通账号" {
			t.Fatalf("second account: %d %s", res.Status, res.Body)
		}
		page := b1.Form("/people/"+webtest.Itoa(p.ID)+"/account", url.Values{"username": {"wangxm2"}})
		if page.Status != http.StatusConflict || !strings.Contains(page.Body, "此人已开通账号") {
			t.Fatalf("second account through the page: %d", page.Status)
		}
		// The person page shows the login and no second button.
		page = b1.Get("/people/" + webtest.Itoa(p.ID))
		if !strings.Contains(page.Body, "已开通："+username) || strings.Contains(page.Body, "开通党员账号</button>") {
			t.Fatalf("person page account section wrong")
		}
		// A username someone has in any case, and a person who has left, are refused too.
		q := webtest.MustPerson(t, w.Store, w.Branch1.ID, "赵六", "19960202", "654")
		res = b1.JSON("POST", "/api/v1/people/"+webtest.Itoa(q.ID)+"/account", map[string]any{"username": "BRANCH2"})
		if res.Status != http.StatusConflict || webtest.Fields(t, res)["username"] != "用户名已被使用" {
			t.Fatalf("a taken username: %d %s", res.Status, res.Body)
		}
		out := &people.Transfer{PersonID: q.ID, Direction: people.TransferOut, On: date.MustParse("2026-06-01"), External: "省司法厅机关党委"}
		if err := w.Store.Transfer(t.Context(), audit.System, auth.Everything, out); err != nil {
			t.Fatal(err)
		}
		res = b1.JSON("POST", "/api/v1/people/"+webtest.Itoa(q.ID)+"/account", nil)
		if res.Status != http.StatusConflict || webtest.Fields(t, res)["person_id"] != "该人员已转出" {
			t.Fatalf("a person who left: %d %s", res.Status, res.Body)
		}
		// Another branch's person is not found.
		if res := w.Login(t, "branch2").JSON("POST", "/api/v1/people/"+webtest.Itoa(p.ID)+"/account", map[string]any{"username": "wangxm3"}); res.Status != http.StatusNotFound {
			t.Fatalf("another branch's person: %d %s", res.Status, res.Body)
		}
	})
}
