package security_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 4: a new session token of at least 128 random bits at each
// login, kept in the database only as a hash; logout, disabling an account
// and changing its password end its sessions everywhere. A session started on
// one instance working on the other: internal/app/instances_test.go.

func TestLine04TokenIsLongRandomAndStoredHashed(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		a, res := loginCookie(t, w, "branch1", webtest.Password)
		b, _ := loginCookie(t, w, "branch1", webtest.Password)
		if a == nil || b == nil {
			t.Fatalf("login set no cookie: %d %s", res.Status, res.Body)
		}
		if a.Value == b.Value {
			t.Fatal("two logins got the same token")
		}
		raw, err := base64.RawURLEncoding.DecodeString(a.Value)
		if err != nil || len(raw)*8 < 128 {
			t.Fatalf("token %q: %d bits (%v), want at least 128", a.Value, len(raw)*8, err)
		}
		// The sessions table: no cookie value in any column.
		rows, err := db(w.Store).QueryContext(t.Context(), "SELECT token_hash, ip, user_agent FROM sessions")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var h, ip, ua string
			if err := rows.Scan(&h, &ip, &ua); err != nil {
				t.Fatal(err)
			}
			n++
			for _, ck := range []string{a.Value, b.Value} {
				if strings.Contains(h+ip+ua, ck) {
					t.Fatalf("the sessions table holds a cookie value: %s", h)
				}
			}
		}
		if n < 2 {
			t.Fatalf("%d sessions in the table, want the two logins", n)
		}
	})
}

func TestLine04LogoutDisableAndPasswordChangeEndSessionsEverywhere(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		// Logout ends that session on the server: the copied cookie stops working.
		ck, _ := loginCookie(t, w, "branch1", webtest.Password)
		req, _ := http.NewRequest("POST", w.URL+"/api/v1/auth/logout", nil)
		req.AddCookie(ck)
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusNoContent {
			t.Fatalf("logout: %v %v", err, res)
		}
		if s := get(t, w, ck, "/api/v1/me"); s != http.StatusUnauthorized {
			t.Fatalf("the cookie after logout: %d", s)
		}
		// Changing the password ends the account's other sessions.
		other, _ := loginCookie(t, w, "branch1", webtest.Password)
		c := w.Login(t, "branch1")
		const next = "Genghuan#2026mima"
		if res := c.JSON("POST", "/api/v1/me/password", map[string]any{"current": webtest.Password, "password": next}); res.Status >= 300 {
			t.Fatalf("password change: %d %s", res.Status, res.Body)
		}
		if s := get(t, w, other, "/api/v1/me"); s != http.StatusUnauthorized {
			t.Fatalf("another session after the password change: %d", s)
		}
		// Disabling the account ends its sessions.
		one, _ := loginCookie(t, w, "branch1", next)
		two, _ := loginCookie(t, w, "branch1", next)
		sec := w.Login(t, "secadmin")
		if res := sec.JSON("POST", "/api/v1/users/"+webtest.Itoa(w.Users["branch1"].ID)+"/disable", nil); res.Status >= 300 {
			t.Fatalf("disable: %d %s", res.Status, res.Body)
		}
		for _, ck := range []*http.Cookie{one, two} {
			if s := get(t, w, ck, "/api/v1/me"); s != http.StatusUnauthorized {
				t.Fatalf("a session of the disabled account: %d", s)
			}
		}
	})
}
