package security_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 2: after 5 failed logins the account locks for 30 minutes;
// sessions end after 30 idle minutes and after an absolute maximum; every
// failure is in the audit log. The lockout holds on every instance: see
// internal/app/instances_test.go (TestTwoInstancesOnePostgres); wrong second
// factor codes count too: internal/web/authweb/second_factor_test.go.

func TestLine02FiveFailuresLockForThirtyMinutesEachLogged(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Client(t)
		login := func(pw string) webtest.Response {
			return c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": pw})
		}
		for i := range 5 {
			if res := login("wrong-" + string(rune('a'+i))); res.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i+1, res.Status, res.Body)
			}
		}
		// Locked: the right password is refused, in the words of a wrong one.
		if res := login(webtest.Password); res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "用户名或密码不正确") {
			t.Fatalf("right password while locked: %d %s", res.Status, res.Body)
		}
		w.Clock.Advance(29 * time.Minute)
		if res := login(webtest.Password); res.Status != http.StatusUnauthorized {
			t.Fatalf("right password after 29 minutes: %d, want still locked", res.Status)
		}
		w.Clock.Advance(2 * time.Minute)
		if res := login(webtest.Password); res.Status != http.StatusOK {
			t.Fatalf("right password after 31 minutes: %d %s", res.Status, res.Body)
		}
		// Every failure is in the log, with who and from where.
		list, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Username: "branch1", Action: "login.", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, e := range list {
			n[e.Action]++
			if e.IP == "" {
				t.Errorf("%s without the client address", e.Action)
			}
		}
		if n["login.failure"] < 5 || n["login.locked"] < 1 {
			t.Fatalf("audit log of the failures: %v, want 5 login.failure and the refusals while locked", n)
		}
	})
}

func TestLine02LockoutThresholdIsConfiguration(t *testing.T) {
	w := webtest.NewWorldWith(t, store.SQLite, func(c *config.Config) { c.Lockout.MaxFailures = 3 })
	for range 3 {
		w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": "wrong"})
	}
	if _, res := loginCookie(t, w, "branch1", webtest.Password); res.Status != http.StatusUnauthorized {
		t.Fatalf("after 3 failures with the threshold at 3: %d, want locked", res.Status)
	}
}

func TestLine02SessionsExpireIdleAndAbsolute(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		// Idle: 30 minutes without a request ends the session.
		ck, res := loginCookie(t, w, "branch1", webtest.Password)
		if ck == nil {
			t.Fatalf("login: %d %s", res.Status, res.Body)
		}
		w.Clock.Advance(29 * time.Minute)
		if s := get(t, w, ck, "/api/v1/me"); s != http.StatusOK {
			t.Fatalf("after 29 idle minutes: %d", s)
		}
		w.Clock.Advance(31 * time.Minute)
		if s := get(t, w, ck, "/api/v1/me"); s != http.StatusUnauthorized {
			t.Fatalf("after 31 idle minutes: %d, want 401", s)
		}
		// Absolute: a session kept busy still ends after 12 hours.
		ck, _ = loginCookie(t, w, "branch1", webtest.Password)
		for range 12*3 - 1 {
			w.Clock.Advance(20 * time.Minute)
			if s := get(t, w, ck, "/api/v1/me"); s != http.StatusOK {
				t.Fatalf("busy session at %v: %d", w.Clock.Now(), s)
			}
		}
		w.Clock.Advance(21 * time.Minute)
		if s := get(t, w, ck, "/api/v1/me"); s != http.StatusUnauthorized {
			t.Fatalf("busy session after 12 hours: %d, want 401", s)
		}
	})
}
