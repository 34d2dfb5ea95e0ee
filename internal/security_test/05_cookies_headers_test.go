package security_test

import (
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 5: cookies are __Host-, Secure under TLS, HttpOnly, SameSite;
// state never changes on GET; cross-origin writes are refused; security
// headers on every response. Deeper: internal/web/authweb/auth_test.go
// (TestPagesNeedLoginAndSecurityHeaders).

func TestLine05CookieFlags(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tls    bool
		prefix string
	}{{"plain HTTP", false, "dangjian_session"}, {"TLS", true, "__Host-"}} {
		t.Run(tc.name, func(t *testing.T) {
			w := webtest.NewWorldWith(t, store.SQLite, func(c *config.Config) { c.SecureCookies = tc.tls })
			ck, res := loginCookie(t, w, "branch1", webtest.Password)
			if ck == nil {
				t.Fatalf("login: %d %s", res.Status, res.Body)
			}
			if !strings.HasPrefix(ck.Name, tc.prefix) || !ck.HttpOnly || ck.SameSite == http.SameSiteNoneMode || ck.SameSite == 0 ||
				ck.Secure != tc.tls || ck.Path != "/" || ck.Domain != "" {
				t.Fatalf("session cookie %s", res.Header.Get("Set-Cookie"))
			}
			hsts := res.Header.Get("Strict-Transport-Security")
			if tc.tls != strings.Contains(hsts, "max-age=") {
				t.Fatalf("HSTS %q with TLS %v", hsts, tc.tls)
			}
		})
	}
}

func TestLine05SecurityHeadersOnEveryResponse(t *testing.T) {
	w := webtest.NewWorldWith(t, store.SQLite, func(c *config.Config) { c.SecureCookies = true })
	anon, admin := w.Client(t), w.Login(t, "committee")
	for _, tc := range []struct {
		c    *webtest.Client
		path string
	}{{anon, "/login"}, {anon, "/people"}, {anon, "/api/v1/me"}, {anon, "/no-such-page"}, {anon, "/healthz"},
		{admin, "/"}, {admin, "/people"}, {admin, "/api/v1/people"}, {admin, "/people/export.xlsx"}, {admin, "/api/v1/openapi.json"}} {
		res := tc.c.Get(tc.path)
		h := res.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("GET %s (%d): CSP %q, nosniff %q, HSTS %q", tc.path, res.Status, h.Get("Content-Security-Policy"),
				h.Get("X-Content-Type-Options"), h.Get("Strict-Transport-Security"))
		}
	}
}

// readLogged reports the audit actions a GET may write: a record that
// somebody exported data (person.export, ledger.export,
// learning.hours_export …), or was refused. They change nothing.
func readLogged(action string) bool {
	return strings.HasSuffix(action, "export") || action == "access.refused"
}

// TestLine05NoStateChangeOnGet walks every GET route of both surfaces, as the
// site mounts them, as each kind of account, and sees the audit log — where
// every change is recorded (line 10) — gain no record of a change.
func TestLine05NoStateChangeOnGet(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		clients := map[string]*webtest.Client{}
		for _, u := range []string{"sysadmin", "secadmin", "auditor", "committee", "branch1", "member"} {
			clients[u] = w.Login(t, u)
		}
		clients["anonymous"] = w.Client(t)
		ids := strings.NewReplacer("{id}", webtest.Itoa(w.P1.ID), "{fid}", "1", "{mid}", "1", "{name}", "ethnic", "{$}", "")
		before := auditCount(t, w)
		walked := 0
		for _, rt := range w.Server.Routes() {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			if method != "GET" {
				continue
			}
			walked++
			for name, c := range clients {
				path := ids.Replace(pattern)
				res := c.Get(path)
				if res.Status >= 500 {
					t.Errorf("GET %s as %s: %d", path, name, res.Status)
				}
			}
		}
		if walked < 40 {
			t.Fatalf("only %d GET routes walked", walked)
		}
		list, _, err := w.Store.AuditEntries(t.Context(), webtest.AuditFilter("", ""))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list[:len(list)-before] {
			if !readLogged(e.Action) && !strings.HasPrefix(e.Action, "login.") && e.Action != "session.start" {
				t.Errorf("a GET by %s left a change in the audit log: %s %s/%s %s", e.Username, e.Action, e.ObjectType, e.ObjectID, e.After)
			}
		}
	})
}

// TestLine05CrossOriginWritesRefused sends every writing route a request a
// page on another site would make, with a valid session: each is refused
// before its handler and nothing is written.
func TestLine05CrossOriginWritesRefused(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	before := auditCount(t, w)
	ids := strings.NewReplacer("{id}", webtest.Itoa(w.P1.ID), "{fid}", "1", "{mid}", "1", "{name}", "ethnic")
	n := 0
	for _, rt := range w.Server.Routes() {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		if method == "GET" {
			continue
		}
		n++
		for _, hdr := range [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
			req, _ := http.NewRequest(method, w.URL+ids.Replace(pattern), strings.NewReader(`{"name":"x"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(hdr[0], hdr[1])
			res := c.Do(req)
			if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "跨站") {
				t.Errorf("%s %s with %s: %d %.200s", method, pattern, hdr[0], res.Status, res.Body)
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d writing routes", n)
	}
	if after := auditCount(t, w); after != before {
		t.Fatalf("cross-origin writes left %d audit records", after-before)
	}
}
