package authweb_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/errs"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// auditTotal is how many records the audit log holds.
func auditTotal(t *testing.T, w *webtest.World) int {
	t.Helper()
	_, n, err := w.Store.AuditEntries(t.Context(), audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// errorOf is the code and message of a JSON error answer.
func errorOf(t *testing.T, res webtest.Response) (code, message string) {
	t.Helper()
	e, _ := res.Decode(t)["error"].(map[string]any)
	code, _ = e["code"].(string)
	message, _ = e["message"].(string)
	return code, message
}

// TestLoginUsernameOver64IsRefusedBeforeAnythingIsWritten: an anonymous
// caller cannot fill the disk through the login. A username over 64
// characters is refused beside its field, and a body of 900 KB before it is
// read; neither writes a single audit record. A 64-character name is an
// ordinary failed login, recorded as typed.
func TestLoginUsernameOver64IsRefusedBeforeAnythingIsWritten(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Client(t)
		before := auditTotal(t, w)
		long := strings.Repeat("a", auth.LoginNameMax+1)
		res := c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": long, "password": "wrong"})
		if res.Status != http.StatusUnprocessableEntity || webtest.Fields(t, res)["username"] != "用户名不超过64个字符" {
			t.Fatalf("65-character username: %d %s", res.Status, res.Body)
		}
		page := c.Form("/login", url.Values{"username": {long}, "password": {"wrong"}})
		if page.Status != http.StatusUnprocessableEntity || !strings.Contains(page.Body, `<p class="error" id="e-username" data-field="username">用户名不超过64个字符</p>`) {
			t.Fatalf("65-character username on the page: %d %s", page.Status, page.Body)
		}
		huge := strings.Repeat("b", 900<<10)
		for i := 0; i < 20; i++ {
			res = c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": huge, "password": "wrong"})
			if code, _ := errorOf(t, res); res.Status != http.StatusRequestEntityTooLarge || code != "too_large" {
				t.Fatalf("900 KB username: %d %.200s", res.Status, res.Body)
			}
		}
		if after := auditTotal(t, w); after != before {
			t.Fatalf("refused logins wrote %d audit records", after-before)
		}
		name64 := strings.Repeat("c", auth.LoginNameMax)
		res = c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": name64, "password": "wrong"})
		if code, _ := errorOf(t, res); res.Status != http.StatusUnauthorized || code != "failed" {
			t.Fatalf("64-character username: %d %s", res.Status, res.Body)
		}
		entries, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Action: "login.unknown_user"})
		if err != nil || len(entries) != 1 || entries[0].Username != name64 {
			t.Fatalf("the 64-character attempt's record: %+v %v", entries, err)
		}
	})
}

// TestLockedAndUnknownAnswerAlike: whether the name is unknown, the password
// wrong, or the account locked (with the right password or a wrong one), the
// answer is the same status and the same words, so nobody learns which
// usernames exist by locking them.
func TestLockedAndUnknownAnswerAlike(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		for i := 0; i < 5; i++ {
			w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": "Wrong#2026pw"})
		}
		attempts := []struct{ what, username, password string }{
			{"unknown username", "nobody1", webtest.Password},
			{"wrong password", "branch2", "Wrong#2026pw"},
			{"locked, right password", "branch1", webtest.Password},
			{"locked, wrong password", "branch1", "Wrong#2026pw"},
		}
		var first webtest.Response
		for i, a := range attempts {
			res := w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": a.username, "password": a.password})
			if i == 0 {
				first = res
				if code, msg := errorOf(t, res); res.Status != http.StatusUnauthorized || code != "failed" || msg != "用户名或密码不正确（连续输错多次的账号会暂时锁定）" {
					t.Fatalf("%s: %d %s", a.what, res.Status, res.Body)
				}
			}
			if res.Status != first.Status || res.Body != first.Body {
				t.Errorf("%s answers %d %s; %s answers %d %s", a.what, res.Status, res.Body, attempts[0].what, first.Status, first.Body)
			}
			page := w.Client(t).Form("/login", url.Values{"username": {a.username}, "password": {a.password}})
			if page.Status != http.StatusUnauthorized || !strings.Contains(page.Body, `<p class="alert" role="alert" id="login-error">用户名或密码不正确（连续输错多次的账号会暂时锁定）</p>`) {
				t.Errorf("%s on the page: %d", a.what, page.Status)
			}
		}
		// The audit log still tells the auditor what happened.
		entries, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Username: "branch1", Action: "login.failure"})
		if err != nil {
			t.Fatal(err)
		}
		locked := 0
		for _, e := range entries {
			if strings.Contains(e.After, `"reason":"locked"`) {
				locked++
			}
		}
		if locked != 4 {
			t.Errorf("%d attempts on the locked account recorded as such, want 4", locked)
		}
	})
}

// TestUsernamesDifferingOnlyInCase: "Committee" is "committee": a second
// account of that name is refused, and either spelling logs in to the one.
func TestUsernamesDifferingOnlyInCase(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		err := w.Store.CreateUser(t.Context(), audit.System, &auth.User{Username: "Committee", Role: auth.CommitteeAdmin, OrgID: w.Root.ID,
			PasswordHash: w.Users["committee"].PasswordHash})
		var c *errs.Conflict
		if !errors.As(err, &c) || c.Field != "username" || c.Key != "user.username_taken" {
			t.Fatalf("the console creates Committee beside committee: %v", err)
		}
		sa := w.Login(t, "sysadmin")
		res := sa.JSON("POST", "/api/v1/users", map[string]any{"username": "Committee", "role": "committee_admin", "org_id": w.Root.ID})
		if res.Status != http.StatusConflict || webtest.Fields(t, res)["username"] != "用户名已被使用" {
			t.Fatalf("Committee beside committee: %d %s", res.Status, res.Body)
		}
		if _, n, _ := w.Store.Users(t.Context(), store.UserFilter{Query: "ommittee"}); n != 1 {
			t.Fatalf("%d accounts named committee in some case, want 1", n)
		}
		for _, name := range []string{"COMMITTEE", "Committee", " committee "} {
			res := w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": name, "password": webtest.Password})
			if res.Status != http.StatusOK || res.Decode(t)["user"].(map[string]any)["username"] != "committee" {
				t.Fatalf("login as %q: %d %s", name, res.Status, res.Body)
			}
		}
	})
}

// TestRateLimitedLoginsRecordedOncePerAddressAndWindow: a flood of attempts
// over the per-address limit is refused with 429 and leaves one audit record
// with its count, not one a request.
func TestRateLimitedLoginsRecordedOncePerAddressAndWindow(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorldWith(t, d, func(c *config.Config) { c.LoginPerMin = 3 })
		c := w.Client(t)
		before := auditTotal(t, w)
		refused := 0
		for i := 0; i < 40; i++ {
			res := c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "nobody" + webtest.Itoa(int64(i)), "password": "wrong"})
			switch code, _ := errorOf(t, res); {
			case i < 3 && (res.Status != http.StatusUnauthorized || code != "failed"):
				t.Fatalf("attempt %d within the limit: %d %s", i+1, res.Status, res.Body)
			case i >= 3 && (res.Status != http.StatusTooManyRequests || code != "rate_limited"):
				t.Fatalf("attempt %d over the limit: %d %s", i+1, res.Status, res.Body)
			case i >= 3:
				refused++
			}
		}
		if n := auditTotal(t, w) - before; n != 4 {
			t.Errorf("40 attempts wrote %d audit records, want 4 (3 failures, 1 for the refused flood)", n)
		}
		entries, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Action: "login.rate_limited"})
		if err != nil || len(entries) != 1 || entries[0].IP != "127.0.0.1" || !strings.Contains(entries[0].After, `"refused":1`) {
			t.Fatalf("rate-limit record: %+v %v", entries, err)
		}
		if refused != 37 {
			t.Fatalf("%d attempts refused, want 37", refused)
		}
	})
}
