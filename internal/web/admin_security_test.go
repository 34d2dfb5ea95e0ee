package web_test

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
)

var tempPasswordRe = regexp.MustCompile(`<code id="temp-password">([^<]+)</code>`)

func TestSecurityAdminResetsPassword(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		b := w.login(t, "branch1")
		sec := w.login(t, "secadmin")
		id := itoa(w.users["branch1"].ID)

		// The page answers with the temporary password, shown once, not in an address.
		res := sec.form("/security/"+id+"/reset", nil)
		if res.status != http.StatusOK || res.header.Get("Location") != "" {
			t.Fatalf("reset: %d %s", res.status, res.header.Get("Location"))
		}
		m := tempPasswordRe.FindStringSubmatch(res.body)
		if m == nil || !strings.Contains(res.body, "密码已重置") {
			t.Fatalf("reset page lacks the temporary password: %s", res.body)
		}
		temp := html.UnescapeString(m[1])
		if err := config.Default().Password.Check("branch1", temp); err != nil {
			t.Fatalf("temporary password %q breaks the policy: %v", temp, err)
		}
		// The account's existing session ends; the old password no longer works.
		if res := b.get("/api/v1/me"); res.status != http.StatusUnauthorized {
			t.Fatalf("old session after reset: %d", res.status)
		}
		res = w.client(t).json("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": testPassword})
		if res.status != http.StatusUnauthorized {
			t.Fatalf("old password after reset: %d", res.status)
		}
		nc := w.client(t)
		res = nc.json("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": temp})
		if res.status != http.StatusOK || res.decode(t)["password_change_required"] != true {
			t.Fatalf("login with the temporary password: %d %s", res.status, res.body)
		}
		if res := nc.get("/api/v1/people"); res.status != http.StatusForbidden {
			t.Fatalf("roster before choosing a password: %d", res.status)
		}

		// The API returns the temporary password in its answer, and it works too.
		res = sec.json("POST", "/api/v1/users/"+id+"/reset-password", nil)
		if res.status != http.StatusOK {
			t.Fatalf("API reset: %d %s", res.status, res.body)
		}
		got := res.decode(t)
		temp2, _ := got["temporary_password"].(string)
		if temp2 == "" || temp2 == temp || got["must_change"] != true || got["username"] != "branch1" {
			t.Fatalf("API reset answer: %v", got)
		}
		if res := nc.get("/api/v1/me"); res.status != http.StatusUnauthorized {
			t.Fatalf("session after the second reset: %d", res.status)
		}
		if res := w.client(t).json("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": temp2}); res.status != http.StatusOK {
			t.Fatalf("login with the API's temporary password: %d", res.status)
		}
		// The resets are in the audit log, without the password.
		entries, _, err := w.st.AuditEntries(t.Context(), auditFilter("secadmin", "user.password"))
		if err != nil || len(entries) != 2 {
			t.Fatalf("reset audit: %d %v", len(entries), err)
		}
		for _, e := range entries {
			if strings.Contains(e.After, temp) || strings.Contains(e.After, temp2) || strings.Contains(e.After, "argon2") {
				t.Fatalf("the audit log holds a password: %s", e.After)
			}
		}

		// Not their own account: neither reset nor disable.
		self := itoa(w.users["secadmin"].ID)
		res = sec.form("/security/"+self+"/reset", nil)
		if res.status != http.StatusConflict || !strings.Contains(res.body, "不能停用或重置自己的账号") || tempPasswordRe.MatchString(res.body) {
			t.Fatalf("self reset: %d", res.status)
		}
		for _, path := range []string{"/api/v1/users/" + self + "/reset-password", "/api/v1/users/" + self + "/disable"} {
			res = sec.json("POST", path, nil)
			if res.status != http.StatusConflict || !strings.Contains(res.body, "不能停用或重置自己的账号") {
				t.Fatalf("%s: %d %s", path, res.status, res.body)
			}
		}
		if res := sec.get("/security"); res.status != http.StatusOK || !strings.Contains(res.body, "本人账号") {
			t.Fatalf("the security administrator was locked out: %d", res.status)
		}
		if res := sec.form("/security/999999/reset", nil); res.status != http.StatusNotFound {
			t.Fatalf("unknown account: %d", res.status)
		}
	})
}

func TestDisableEndsSessionsAndUnlockLetsIn(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		b := w.login(t, "branch1")
		sec := w.login(t, "secadmin")
		id := itoa(w.users["branch1"].ID)

		res := sec.form("/security/"+id+"/disable", nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/security?notice=disabled" {
			t.Fatalf("disable: %d %s", res.status, res.header.Get("Location"))
		}
		page := sec.get(res.header.Get("Location") + "&q=branch1")
		if !strings.Contains(page.body, "账号已停用，其所有会话已结束") || !strings.Contains(page.body, `<span class="tag bad">停用</span>`) {
			t.Fatalf("security page after disable: %s", page.body)
		}
		if res := b.get("/api/v1/me"); res.status != http.StatusUnauthorized {
			t.Fatalf("session of a disabled account: %d", res.status)
		}
		res = w.client(t).json("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": testPassword})
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "账号已停用") {
			t.Fatalf("login of a disabled account: %d %s", res.status, res.body)
		}
		pc := w.client(t)
		res = pc.form("/login", url.Values{"username": {"branch1"}, "password": {testPassword}})
		if !strings.Contains(res.body, "账号已停用") {
			t.Fatalf("login page for a disabled account: %d", res.status)
		}
		res = sec.json("POST", "/api/v1/users/"+id+"/enable", nil)
		if res.status != http.StatusOK || res.decode(t)["disabled"] != false {
			t.Fatalf("enable: %d %s", res.status, res.body)
		}
		w.login(t, "branch1")

		// Five wrong passwords lock branch2; the security administrator unlocks it.
		locked := itoa(w.users["branch2"].ID)
		for i := 0; i < 5; i++ {
			w.client(t).json("POST", "/api/v1/auth/login", map[string]any{"username": "branch2", "password": "wrong"})
		}
		res = w.client(t).json("POST", "/api/v1/auth/login", map[string]any{"username": "branch2", "password": testPassword})
		if res.status != http.StatusLocked {
			t.Fatalf("not locked: %d", res.status)
		}
		if page := sec.get("/security?q=branch2"); !strings.Contains(page.body, "锁定至") || !strings.Contains(page.body, "/security/"+locked+"/unlock") {
			t.Fatalf("security page does not show the lock: %s", page.body)
		}
		res = sec.form("/security/"+locked+"/unlock", nil)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/security?notice=unlocked" {
			t.Fatalf("unlock: %d", res.status)
		}
		w.login(t, "branch2")

		// The API unlock does the same for the member.
		for i := 0; i < 5; i++ {
			w.client(t).json("POST", "/api/v1/auth/login", map[string]any{"username": "member", "password": "wrong"})
		}
		res = sec.json("POST", "/api/v1/users/"+itoa(w.users["member"].ID)+"/unlock", nil)
		if res.status != http.StatusOK || res.decode(t)["locked"] != false {
			t.Fatalf("API unlock: %d %s", res.status, res.body)
		}
		w.login(t, "member")
		entries, _, err := w.st.AuditEntries(t.Context(), auditFilter("secadmin", "user."))
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
