package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

func TestLoginLockoutAndLogout(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		c := w.client(t)
		// Wrong password: 401 with a Chinese message that does not say which part was wrong.
		res := c.json("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": "wrong"})
		if res.status != http.StatusUnauthorized || !strings.Contains(res.body, "用户名或密码不正确") {
			t.Fatalf("wrong password: %d %s", res.status, res.body)
		}
		// Unknown user: the same answer.
		res = c.json("POST", "/api/v1/auth/login", map[string]any{"username": "nobody", "password": "wrong"})
		if res.status != http.StatusUnauthorized || !strings.Contains(res.body, "用户名或密码不正确") {
			t.Fatalf("unknown user: %d %s", res.status, res.body)
		}
		for i := 0; i < 4; i++ {
			c.json("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": "wrong"})
		}
		// Five failures lock the account: even the right password is refused now.
		res = c.json("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": testPassword})
		if res.status != http.StatusLocked || !strings.Contains(res.body, "锁定") {
			t.Fatalf("locked account: %d %s", res.status, res.body)
		}
		w.clock.Advance(31 * time.Minute)
		b := w.login(t, "branch1")
		if res := b.get("/api/v1/me"); res.status != http.StatusOK || !strings.Contains(res.body, `"username":"branch1"`) {
			t.Fatalf("me: %d %s", res.status, res.body)
		}
		entries, _, err := w.st.AuditEntries(t.Context(), audit.Filter{Action: "login."})
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
		if res := b.json("POST", "/api/v1/auth/logout", nil); res.status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", res.status, res.body)
		}
		if res := b.get("/api/v1/me"); res.status != http.StatusUnauthorized {
			t.Fatalf("after logout: %d", res.status)
		}
	})
}

func TestPagesNeedLoginAndSecurityHeaders(t *testing.T) {
	w := newWorld(t, store.SQLite)
	c := w.client(t)
	res := c.get("/people")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login?next=") {
		t.Fatalf("anonymous /people: %d %s", res.status, res.header.Get("Location"))
	}
	res = c.get("/login")
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if res.header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	if !strings.Contains(res.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP: %s", res.header.Get("Content-Security-Policy"))
	}
	// Form login sets an HttpOnly SameSite cookie and lands on the next page.
	res = c.form("/login", url.Values{"username": {"committee"}, "password": {testPassword}, "next": {"/people"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/people" {
		t.Fatalf("form login: %d %s", res.status, res.header.Get("Location"))
	}
	ck := res.header.Get("Set-Cookie")
	if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
		t.Fatalf("cookie: %s", ck)
	}
	// An offsite next is ignored.
	res = w.client(t).form("/login", url.Values{"username": {"committee"}, "password": {testPassword}, "next": {"//evil.example"}})
	if res.header.Get("Location") != "/" {
		t.Fatalf("open redirect: %s", res.header.Get("Location"))
	}
	// A cross-origin write is refused before it reaches the handler.
	req, _ := http.NewRequest("POST", w.url+"/api/v1/orgs", strings.NewReader(`{"name":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r2 := c.do(req)
	if r2.status != http.StatusForbidden || !strings.Contains(r2.body, "跨站") {
		t.Fatalf("cross-origin write: %d %s", r2.status, r2.body)
	}
	if res := c.get("/healthz"); res.status != http.StatusOK {
		t.Fatalf("healthz: %d", res.status)
	}
}
