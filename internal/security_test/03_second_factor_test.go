package security_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 3: a second factor (TOTP) can be required per role;
// administrators always need it. Deeper: internal/web/authweb/second_factor_test.go
// (wrong codes lock, the second step expires, lost-phone reset, recovery
// codes), internal/web/authweb/second_factor_browser_test.go (enrolment by QR
// code in Chromium), internal/auth/totp_test.go (RFC 6238 vectors).

type secondStep struct {
	Challenge string `json:"challenge"`
	Kind      string `json:"kind"`
	Secret    string `json:"secret"`
}

// passwordOnly logs in with the password alone and returns the second step
// the server asks for (nil if it asked for none) and whether a session
// cookie came with the answer.
func passwordOnly(t *testing.T, c *webtest.Client, username string) (*secondStep, bool) {
	t.Helper()
	res := c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": webtest.Password})
	if res.Status != http.StatusOK {
		t.Fatalf("password of %s: %d %s", username, res.Status, res.Body)
	}
	var out struct {
		SecondStep *secondStep `json:"second_step"`
	}
	json.Unmarshal([]byte(res.Body), &out)
	return out.SecondStep, res.Header.Get("Set-Cookie") != ""
}

func TestLine03AdministratorsAlwaysNeedTheCode(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		for _, admin := range []string{"sysadmin", "secadmin", "auditor"} {
			c := w.Client(t)
			step, cookie := passwordOnly(t, c, admin)
			if step == nil || cookie {
				t.Fatalf("%s with the password alone: step %+v, cookie %v", admin, step, cookie)
			}
			if res := c.Get("/api/v1/me"); res.Status != http.StatusUnauthorized {
				t.Fatalf("%s between the steps: %d", admin, res.Status)
			}
			if res := c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": "000000"}); res.Status < 400 || !hasChinese(res.Body) {
				t.Fatalf("%s with a wrong code: %d %s", admin, res.Status, res.Body)
			}
			code := w.Code(t, admin)
			if res := c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": code}); res.Status != http.StatusOK {
				t.Fatalf("%s with the code: %d %s", admin, res.Status, res.Body)
			}
			if res := c.Get("/api/v1/me"); res.Status != http.StatusOK {
				t.Fatalf("%s after the code: %d", admin, res.Status)
			}
			// The same code does not open a second login.
			other := w.Client(t)
			step, _ = passwordOnly(t, other, admin)
			if res := other.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": code}); res.Status < 400 {
				t.Fatalf("%s's code used twice: %d", admin, res.Status)
			}
		}
		// The switch cannot take it from them.
		sec := w.Login(t, "secadmin")
		sec.JSON("PUT", "/api/v1/security/second-factor-roles", map[string]any{"roles": []string{}})
		if step, _ := passwordOnly(t, w.Client(t), "sysadmin"); step == nil {
			t.Fatal("the system administrator logs in without the code after the switch was cleared")
		}
	})
}

func TestLine03PerRoleSwitch(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	if step, cookie := passwordOnly(t, w.Client(t), "branch1"); step != nil || !cookie {
		t.Fatalf("a branch secretary before the switch: step %+v, cookie %v", step, cookie)
	}
	if res := w.Login(t, "secadmin").JSON("PUT", "/api/v1/security/second-factor-roles", map[string]any{"roles": []string{"branch_admin"}}); res.Status != http.StatusOK {
		t.Fatalf("switch: %d %s", res.Status, res.Body)
	}
	step, cookie := passwordOnly(t, w.Client(t), "branch1")
	if step == nil || cookie || step.Kind != "totp_enrol" || step.Secret == "" {
		t.Fatalf("a branch secretary after the switch: step %+v, cookie %v", step, cookie)
	}
	if step, cookie := passwordOnly(t, w.Client(t), "committee"); step != nil || !cookie {
		t.Fatalf("a role not switched on: step %+v, cookie %v", step, cookie)
	}
}
