package accountweb_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

var tempPasswordRe = regexp.MustCompile(`<code id="temp-password">([^<]+)</code>`)

func TestSecurityAdminResetsPassword(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		b := w.Login(t, "branch1")
		sec := w.Login(t, "secadmin")
		id := webtest.Itoa(w.Users["branch1"].ID)

		// The page answers with the temporary password, shown once, not in an address.
		res := sec.Form("/security/"+id+"/reset", nil)
		if res.Status != http.StatusOK || res.Header.Get("Location") != "" {
			t.Fatalf("reset: %d %s", res.Status, res.Header.Get("Location"))
		}
		m := tempPasswordRe.FindStringSubmatch(res.Body)
		if m == nil || !strings.Contains(res.Body, "密码已重置") {
			t.Fatalf("reset page lacks the temporary password: %s", res.Body)
		}
		temp := html.UnescapeString(m[1])
		if err := config.Default().Password.Check("branch1", temp); err != nil {
			t.Fatalf("temporary password %q breaks the policy: %v", temp, err)
		}
		// The account's existing session ends; the old password no longer works.
		if res := b.Get("/api/v1/me"); res.Status != http.StatusUnauthorized {
			t.Fatalf("old session after reset: %d", res.Status)
		}
		res = w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": webtest.Password})
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("old password after reset: %d", res.Status)
		}
		nc := w.Client(t)
		res = nc.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": temp})
		if res.Status != http.StatusOK || res.Decode(t)["password_change_required"] != true {
			t.Fatalf("login with the temporary password: %d %s", res.Status, res.Body)
		}
		if res := nc.Get("/api/v1/people"); res.Status != http.StatusForbidden {
			t.Fatalf("roster before choosing a password: %d", res.Status)
		}

		// The API returns the temporary password in its answer, and it works too.
		res = sec.JSON("POST", "/api/v1/users/"+id+"/reset-password", nil)
		if res.Status != http.StatusOK {
			t.Fatalf("API reset: %d %s", res.Status, res.Body)
		}
		got := res.Decode(t)
		temp2, _ := got["temporary_password"].(string)
		if temp2 == "" || temp2 == temp || got["must_change"] != true || got["username"] != "branch1" {
			t.Fatalf("API reset answer: %v", got)
		}
		if res := nc.Get("/api/v1/me"); res.Status != http.StatusUnauthorized {
			t.Fatalf("session after the second reset: %d", res.Status)
		}
		if res := w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": temp2}); res.Status != http.StatusOK {
			t.Fatalf("login with the API's temporary password: %d", res.Status)
		}
		// The resets are in the audit log, without the password.
		entries, _, err := w.Store.AuditEntries(t.Context(), webtest.AuditFilter("secadmin", "user.reset"))
		if err != nil || len(entries) != 2 {
			t.Fatalf("reset audit: %d %v", len(entries), err)
		}
		for _, e := range entries {
			if strings.Contains(e.After, temp) || strings.Contains(e.After, temp2) || strings.Contains(e.After, "argon2") {
				t.Fatalf("the audit log holds a password: %s", e.After)
			}
		}

		// Not their own account: neither reset nor disable.
		self := webtest.Itoa(w.Users["secadmin"].ID)
		res = sec.Form("/security/"+self+"/reset", nil)
		if res.Status != http.StatusConflict || !strings.Contains(res.Body, "不能停用或重置自己的账号") || tempPasswordRe.MatchString(res.Body) {
			t.Fatalf("self reset: %d", res.Status)
		}
		for _, path := range []string{"/api/v1/users/" + self + "/reset-password", "/api/v1/users/" + self + "/disable"} {
			res = sec.JSON("POST", path, nil)
			if res.Status != http.StatusConflict || !strings.Contains(res.Body, "不能停用或重置自己的账号") {
				t.Fatalf("%s: %d %s", path, res.Status, res.Body)
			}
		}
		if res := sec.Get("/security"); res.Status != http.StatusOK || !strings.Contains(res.Body, "本人账号") {
			t.Fatalf("the security administrator was locked out: %d", res.Status)
		}
		if res := sec.Form("/security/999999/reset", nil); res.Status != http.StatusNotFound {
			t.Fatalf("unknown account: %d", res.Status)
		}
	})
}

func TestDisableEndsSessionsAndUnlockLetsIn(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		b := w.Login(t, "branch1")
		sec := w.Login(t, "secadmin")
		id := webtest.Itoa(w.Users["branch1"].ID)

		res := sec.Form("/security/"+id+"/disable", nil)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/security?notice=disabled" {
			t.Fatalf("disable: %d %s", res.Status, res.Header.Get("Location"))
		}
		page := sec.Get(res.Header.Get("Location") + "&q=branch1")
		if !strings.Contains(page.Body, "账号已停用，其所有会话已结束") || !strings.Contains(page.Body, `<span class="tag bad">停用</span>`) {
			t.Fatalf("security page after disable: %s", page.Body)
		}
		if res := b.Get("/api/v1/me"); res.Status != http.StatusUnauthorized {
			t.Fatalf("session of a disabled account: %d", res.Status)
		}
		res = w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": webtest.Password})
		if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "账号已停用") {
			t.Fatalf("login of a disabled account: %d %s", res.Status, res.Body)
		}
		pc := w.Client(t)
		res = pc.Form("/login", url.Values{"username": {"branch1"}, "password": {webtest.Password}})
		if !strings.Contains(res.Body, "账号已停用") {
			t.Fatalf("login page for a disabled account: %d", res.Status)
		}
		res = sec.JSON("POST", "/api/v1/users/"+id+"/enable", nil)
		if res.Status != http.StatusOK || res.Decode(t)["disabled"] != false {
			t.Fatalf("enable: %d %s", res.Status, res.Body)
		}
		w.Login(t, "branch1")

		// Five wrong passwords lock branch2; the security administrator unlocks it.
		locked := webtest.Itoa(w.Users["branch2"].ID)
		for i := 0; i < 5; i++ {
			w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch2", "password": "wrong"})
		}
		res = w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch2", "password": webtest.Password})
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("not locked: %d", res.Status)
		}
		if page := sec.Get("/security?q=branch2"); !strings.Contains(page.Body, "锁定至") || !strings.Contains(page.Body, "/security/"+locked+"/unlock") {
			t.Fatalf("security page does not show the lock: %s", page.Body)
		}
		res = sec.Form("/security/"+locked+"/unlock", nil)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/security?notice=unlocked" {
			t.Fatalf("unlock: %d", res.Status)
		}
		w.Login(t, "branch2")

		// The API unlock does the same for the member.
		for i := 0; i < 5; i++ {
			w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": "member", "password": "wrong"})
		}
		res = sec.JSON("POST", "/api/v1/users/"+webtest.Itoa(w.Users["member"].ID)+"/unlock", nil)
		if res.Status != http.StatusOK || res.Decode(t)["locked"] != false {
			t.Fatalf("API unlock: %d %s", res.Status, res.Body)
		}
		w.Login(t, "member")
		entries, _, err := w.Store.AuditEntries(t.Context(), webtest.AuditFilter("secadmin", "user."))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Action]++
		}
		if seen["user.disable"] != 1 || seen["user.enable"] != 1 || seen["user.unlock"] != 2 {
			t.Fatalf("security audit trail: %v", seen)
		}
	})
}
