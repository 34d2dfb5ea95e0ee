package peopleweb_test

import (
	"net/http"
	"strings"
	"testing"

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
		// The member logs in with the temporary password and must change it first.
		m := w.Client(t)
		if res := m.JSON("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": password}); res.Status != http.StatusOK ||
			res.Decode(t)["password_change_required"] != true {
			t.Fatalf("member login: %d %s", res.Status, res.Body)
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
		// One account per person.
		if res := b1.JSON("POST", "/api/v1/people/"+webtest.Itoa(p.ID)+"/account", nil); res.Status != http.StatusConflict {
			t.Fatalf("second account: %d %s", res.Status, res.Body)
		}
		// The person page shows the login and no second button.
		page := b1.Get("/people/" + webtest.Itoa(p.ID))
		if !strings.Contains(page.Body, "已开通："+username) || strings.Contains(page.Body, "开通党员账号</button>") {
			t.Fatalf("person page account section wrong")
		}
	})
}
