package webtest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// TestThreeAdministratorsKeptApart: 三员分立. Each administrator opens their
// own pages and is refused on the other two's, on their APIs and on the roster.
func TestThreeAdministratorsKeptApart(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		b1 := webtest.Itoa(w.Users["branch1"].ID)
		p1 := webtest.Itoa(w.P1.ID)
		roster := []string{"GET /people", "GET /people/" + p1, "GET /api/v1/people", "GET /api/v1/people/" + p1,
			"GET /orgs", "GET /api/v1/orgs", "GET /me"}
		system := []string{"GET /users", "POST /users", "POST /users/roots", "GET /dicts", "POST /dicts/education",
			"POST /api/v1/users", "POST /api/v1/dicts/education"}
		security := []string{"GET /security", "POST /security/" + b1 + "/reset", "POST /security/" + b1 + "/disable",
			"POST /security/" + b1 + "/activate", "POST /security/" + b1 + "/reject",
			"POST /api/v1/users/" + b1 + "/activate", "POST /api/v1/users/" + b1 + "/reject",
			"POST /security/" + b1 + "/enable", "POST /security/" + b1 + "/unlock", "POST /api/v1/users/" + b1 + "/reset-password",
			"POST /api/v1/users/" + b1 + "/disable", "POST /api/v1/users/" + b1 + "/enable", "POST /api/v1/users/" + b1 + "/unlock"}
		auditing := []string{"GET /audit", "GET /audit/export.xlsx", "GET /api/v1/audit"}
		join := func(lists ...[]string) []string {
			var out []string
			for _, l := range lists {
				out = append(out, l...)
			}
			return out
		}
		for _, tc := range []struct {
			user    string
			own     string
			refused []string
		}{
			{"sysadmin", "/users", join(roster, security, auditing)},
			{"secadmin", "/security", join(roster, system, auditing)},
			{"auditor", "/audit", join(roster, system, security, []string{"GET /api/v1/users"})},
		} {
			c := w.Login(t, tc.user)
			res := c.Get(tc.own)
			if res.Status != http.StatusOK {
				t.Fatalf("%s on %s: %d", tc.user, tc.own, res.Status)
			}
			// The menu offers only the administrator's own pages.
			for _, other := range []string{"/users", "/security", "/dicts", "/audit", "/people", "/orgs"} {
				has := strings.Contains(res.Body, `href="`+other+`"`)
				mine := other == tc.own || (tc.user == "sysadmin" && other == "/dicts")
				if has != mine {
					t.Errorf("%s's menu: link to %s is %v", tc.user, other, has)
				}
			}
			for _, route := range tc.refused {
				method, path, _ := strings.Cut(route, " ")
				switch {
				case method == "GET":
					res = c.Get(path)
				case strings.HasPrefix(path, "/api/"):
					res = c.JSON(method, path, map[string]any{"username": "intruder", "role": "system_admin",
						"password": "Eindring#2026x", "label": "越权", "name": "越权", "kind": "committee"})
				default:
					res = c.Form(path, url.Values{"username": {"intruder"}, "role": {"system_admin"},
						"password": {"Eindring#2026x"}, "confirm": {"Eindring#2026x"}, "label": {"越权"}, "name": {"越权"}, "kind": {"committee"}})
				}
				if res.Status != http.StatusForbidden {
					t.Errorf("%s %s as %s: %d, want 403", method, path, tc.user, res.Status)
				}
			}
		}
		// Nothing the refused requests carried took effect.
		if _, err := w.Store.UserByUsername(t.Context(), "intruder"); err == nil {
			t.Error("an account was created by a refused request")
		}
		u, err := w.Store.User(t.Context(), w.Users["branch1"].ID)
		if err != nil || u.Version != 1 || u.Disabled || u.MustChange {
			t.Errorf("branch1's account was changed: %+v %v", u, err)
		}
		items, err := w.Store.DictItems(t.Context(), "education")
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Label == "越权" {
				t.Error("a dictionary item was added by a refused request")
			}
		}
		// Both account administrators may list accounts (the one thing they share).
		for _, who := range []string{"sysadmin", "secadmin"} {
			if res := w.Login(t, who).Get("/api/v1/users"); res.Status != http.StatusOK || !strings.Contains(res.Body, `"username":"branch1"`) {
				t.Errorf("%s lists accounts: %d", who, res.Status)
			}
		}
	})
}
