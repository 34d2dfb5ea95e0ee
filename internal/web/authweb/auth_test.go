package authweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func TestLoginLockoutAndLogout(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Client(t)
		// Wrong password: 401 with a Chinese message that does not say which part was wrong.
		res := c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": "wrong"})
		if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "用户名或密码不正确") {
			t.Fatalf("wrong password: %d %s", res.Status, res.Body)
		}
		// Unknown user: the same answer.
		res = c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "nobody", "password": "wrong"})
		if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "用户名或密码不正确") {
			t.Fatalf("unknown user: %d %s", res.Status, res.Body)
		}
		for i := 0; i < 4; i++ {
			c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": "wrong"})
		}
		// Five failures lock the account: even the right password is refused
		// now, in the same words as a wrong one.
		res = c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": webtest.Password})
		if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "用户名或密码不正确") {
			t.Fatalf("locked account: %d %s", res.Status, res.Body)
		}
		w.Clock.Advance(31 * time.Minute)
		b := w.Login(t, "branch1")
		if res := b.Get("/api/v1/me"); res.Status != http.StatusOK || !strings.Contains(res.Body, `"username":"branch1"`) {
			t.Fatalf("me: %d %s", res.Status, res.Body)
		}
		entries, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Action: "login."})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Action]++
		}
		if seen["login.failure"] < 5 || seen["login.locked"] != 1 || seen["login.success"] != 1 || seen["login.unknown_user"] != 1 {
			t.Fatalf("login audit trail: %v", seen)
		}
		// Logout ends the session on the server: the same cookie no longer works.
		if res := b.JSON("POST", "/api/v1/auth/logout", nil); res.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", res.Status, res.Body)
		}
		if res := b.Get("/api/v1/me"); res.Status != http.StatusUnauthorized {
			t.Fatalf("after logout: %d", res.Status)
		}
	})
}

func TestPagesNeedLoginAndSecurityHeaders(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Client(t)
	res := c.Get("/people")
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Fatalf("anonymous /people: %d %s", res.Status, res.Header.Get("Location"))
	}
	res = c.Get("/login")
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	if !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP: %s", res.Header.Get("Content-Security-Policy"))
	}
	// Form login sets an HttpOnly SameSite cookie and lands on the next page.
	res = c.Form("/login", url.Values{"username": {"committee"}, "password": {webtest.Password}, "next": {"/people"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/people" {
		t.Fatalf("form login: %d %s", res.Status, res.Header.Get("Location"))
	}
	ck := res.Header.Get("Set-Cookie")
	if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
		t.Fatalf("cookie: %s", ck)
	}
	// An offsite next is ignored.
	res = w.Client(t).Form("/login", url.Values{"username": {"committee"}, "password": {webtest.Password}, "next": {"//evil.example"}})
	if res.Header.Get("Location") != "/" {
		t.Fatalf("open redirect: %s", res.Header.Get("Location"))
	}
	// A cross-origin write is refused before it reaches the handler.
	req, _ := http.NewRequest("POST", w.URL+"/api/v1/orgs", strings.NewReader(`{"name":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r2 := c.Do(req)
	if r2.Status != http.StatusForbidden || !strings.Contains(r2.Body, "跨站") {
		t.Fatalf("cross-origin write: %d %s", r2.Status, r2.Body)
	}
	if res := c.Get("/healthz"); res.Status != http.StatusOK {
		t.Fatalf("healthz: %d", res.Status)
	}
}
