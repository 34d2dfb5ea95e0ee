package web_test

import (
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

func TestSecretaryOpensMemberAccount(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		p := mustPerson(t, w.st, w.branch1.ID, "王小明", "19950101", "321")
		b1 := w.login(t, "branch1")
		res := b1.json("POST", "/api/v1/people/"+itoa(p.ID)+"/account", nil)
		if res.status != http.StatusCreated {
			t.Fatalf("open account: %d %s", res.status, res.body)
		}
		got := res.decode(t)
		user := got["user"].(map[string]any)
		username, password := user["username"].(string), got["temporary_password"].(string)
		if username != "wxm"+p.IDNumber[14:] || user["role"] != "member" || len(password) < 10 {
			t.Fatalf("account: %v", got)
		}
		// The member logs in with the temporary password and must change it first.
		m := w.client(t)
		if res := m.json("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": password}); res.status != http.StatusOK ||
			res.decode(t)["password_change_required"] != true {
			t.Fatalf("member login: %d %s", res.status, res.body)
		}
		if res := m.get("/api/v1/me/person"); res.status != http.StatusForbidden {
			t.Fatalf("before changing the password: %d", res.status)
		}
		if res := m.json("POST", "/api/v1/me/password", map[string]any{"current": password, "password": "Xuexi#2026wxm", "confirm": "Xuexi#2026wxm"}); res.status != http.StatusNoContent {
			t.Fatalf("change password: %d %s", res.status, res.body)
		}
		if res := m.get("/api/v1/me/person"); res.status != http.StatusOK || !strings.Contains(res.body, "王小明") {
			t.Fatalf("own record: %d %s", res.status, res.body)
		}
		// One account per person.
		if res := b1.json("POST", "/api/v1/people/"+itoa(p.ID)+"/account", nil); res.status != http.StatusConflict {
			t.Fatalf("second account: %d %s", res.status, res.body)
		}
		// The person page shows the login and no second button.
		page := b1.get("/people/" + itoa(p.ID))
		if !strings.Contains(page.body, "已开通："+username) || strings.Contains(page.body, "开通党员账号</button>") {
			t.Fatalf("person page account section wrong")
		}
	})
}
