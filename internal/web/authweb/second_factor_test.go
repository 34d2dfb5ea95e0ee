package authweb_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// secondStep is what a login answers when it waits for a code.
type secondStep struct {
	Kind, Challenge, Secret, Message string
	OTPAuthURL                       string `json:"otpauth_url"`
}

// passwordStep logs in with the password and returns the second step it
// asks for, failing when it asks for none.
func passwordStep(t *testing.T, c *webtest.Client, username string) secondStep {
	t.Helper()
	res := c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": webtest.Password})
	var out struct {
		User       any         `json:"user"`
		SecondStep *secondStep `json:"second_step"`
	}
	decode(t, res, &out)
	if res.Status != http.StatusOK || out.SecondStep == nil || out.User != nil {
		t.Fatalf("login %s with its password: %d %s, want a second step and no account yet", username, res.Status, res.Body)
	}
	if res.Header.Get("Set-Cookie") != "" {
		t.Fatalf("login %s: a cookie before the second step: %s", username, res.Header.Get("Set-Cookie"))
	}
	return *out.SecondStep
}

func actions(t *testing.T, w *webtest.World, username, prefix string) []audit.Entry {
	t.Helper()
	list, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Username: username, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, e := range list {
		if strings.HasPrefix(e.Action, prefix) {
			out = append(out, e)
		}
	}
	return out
}

// TestAdministratorLoginNeedsTheCode: the password alone opens nothing for
// an administrator; the API says what the second step needs; a wrong code is
// refused beside its field and counted like a wrong password; the right one
// starts the session; the same code never works twice.
func TestAdministratorLoginNeedsTheCode(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Client(t)
		step := passwordStep(t, c, "secadmin")
		if step.Kind != "totp" || step.Challenge == "" || step.Secret != "" || !strings.Contains(step.Message, "动态码") {
			t.Fatalf("second step: %+v", step)
		}
		if res := c.Get("/api/v1/me"); res.Status != http.StatusUnauthorized {
			t.Fatalf("after the password alone /api/v1/me answers %d", res.Status)
		}
		wrong := c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": "000000"})
		if wrong.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Fields(t, wrong)["code"].(string), "动态码不正确") {
			t.Fatalf("wrong code: %d %s", wrong.Status, wrong.Body)
		}
		if fails := actions(t, w, "secadmin", "login.failure"); len(fails) != 1 || !strings.Contains(fails[0].After, "second_factor") {
			t.Fatalf("the wrong code's record: %+v", fails)
		}
		code := w.Code(t, "secadmin")
		res := c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": code})
		if res.Status != http.StatusOK {
			t.Fatalf("right code: %d %s", res.Status, res.Body)
		}
		if me := c.Get("/api/v1/me"); me.Status != http.StatusOK || !strings.Contains(me.Body, `"second_factor":true`) {
			t.Fatalf("after the code /api/v1/me: %d %s", me.Status, me.Body)
		}
		if ok := actions(t, w, "secadmin", "login.success"); len(ok) != 1 || !strings.Contains(ok[0].After, "totp") {
			t.Fatalf("the login's record: %+v", ok)
		}
		// The challenge is spent, and the code too, in a fresh login.
		again := c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": code})
		if again.Status != http.StatusUnauthorized || !strings.Contains(again.Body, "重新输入用户名和密码") {
			t.Fatalf("spent challenge: %d %s", again.Status, again.Body)
		}
		other := w.Client(t)
		next := passwordStep(t, other, "secadmin")
		replay := other.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": next.Challenge, "code": code})
		if replay.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Fields(t, replay)["code"].(string), "已使用过") {
			t.Fatalf("the same code again: %d %s", replay.Status, replay.Body)
		}
		if other.Get("/api/v1/me").Status != http.StatusUnauthorized {
			t.Fatalf("a replayed code opened a session")
		}
	})
}

// TestWrongCodesLockTheAccount: five wrong codes lock the account like five
// wrong passwords; the waiting step dies with the lock, and the right
// password and code no longer get in.
func TestWrongCodesLockTheAccount(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Client(t)
		step := passwordStep(t, c, "auditor")
		var res webtest.Response
		for range 5 {
			res = c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": "111111"})
		}
		if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "已锁定") {
			t.Fatalf("fifth wrong code: %d %s", res.Status, res.Body)
		}
		if locked := actions(t, w, "auditor", "login.locked"); len(locked) != 1 {
			t.Fatalf("lock records: %+v", locked)
		}
		res = c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": w.Code(t, "auditor")})
		if res.Status != http.StatusUnauthorized || c.Get("/api/v1/me").Status != http.StatusUnauthorized {
			t.Fatalf("the right code after the lock: %d %s", res.Status, res.Body)
		}
		res = c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "auditor", "password": webtest.Password})
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("the right password while locked: %d %s", res.Status, res.Body)
		}
	})
}

// TestSecondStepExpires: a second step left for more than five minutes is
// gone; the login starts again from the password.
func TestSecondStepExpires(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Client(t)
		step := passwordStep(t, c, "sysadmin")
		w.Clock.Advance(auth.ChallengeTTL + time.Second)
		res := c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": w.Code(t, "sysadmin")})
		if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "验证已超时") {
			t.Fatalf("an expired step: %d %s", res.Status, res.Body)
		}
		if res := c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": "made-up", "code": "123456"}); res.Status != http.StatusUnauthorized {
			t.Fatalf("a made-up challenge: %d %s", res.Status, res.Body)
		}
	})
}

// TestRoleSwitchEnrolsAtNextLogin: when the security administrator makes
// 支部书记 use the second factor, a secretary's next login sets up the
// authenticator (key and otpauth address), proved by its first code, and
// hands out ten recovery codes once; one of them logs in once, instead of
// the phone. The administrators' own line cannot be switched off.
func TestRoleSwitchEnrolsAtNextLogin(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sec := w.Login(t, "secadmin")
		res := sec.JSON("PUT", "/api/v1/security/second-factor-roles", map[string]any{"roles": []string{"branch_admin"}})
		if res.Status != http.StatusOK {
			t.Fatalf("switch on for 支部书记: %d %s", res.Status, res.Body)
		}
		for _, want := range []string{`{"role":"system_admin","label":"系统管理员","required":true,"always":true}`,
			`{"role":"branch_admin","label":"支部书记/支委","required":true,"always":false}`,
			`{"role":"committee_admin","label":"党委管理员","required":false,"always":false}`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the switch lacks %s: %s", want, res.Body)
			}
		}
		if n := len(actions(t, w, "secadmin", "policy.second_factor")); n != 1 {
			t.Errorf("%d records of the switch, want 1", n)
		}
		if err := w.Store.SetSecondFactorRole(t.Context(), audit.System, auth.SystemAdmin, false); err == nil {
			t.Errorf("the system administrator's second factor was switched off")
		}
		if res := sec.JSON("PUT", "/api/v1/security/second-factor-roles", map[string]any{"roles": []string{"boss"}}); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown role: %d %s", res.Status, res.Body)
		}
		if res := w.Login(t, "committee").JSON("PUT", "/api/v1/security/second-factor-roles", map[string]any{"roles": []string{}}); res.Status != http.StatusForbidden {
			t.Errorf("党委管理员 switched it: %d", res.Status)
		}

		c := w.Client(t)
		step := passwordStep(t, c, "branch1")
		if step.Kind != "totp_enrol" || len(step.Secret) < 16 || !strings.HasPrefix(step.OTPAuthURL, "otpauth://totp/") ||
			!strings.Contains(step.OTPAuthURL, "secret="+step.Secret) {
			t.Fatalf("enrolment step: %+v", step)
		}
		w.Secrets["branch1"] = step.Secret // the phone now has it
		res = c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": w.Code(t, "branch1")})
		var out struct {
			RecoveryCodes []string `json:"recovery_codes"`
		}
		decode(t, res, &out)
		if res.Status != http.StatusOK || len(out.RecoveryCodes) != 10 {
			t.Fatalf("enrolment: %d %s", res.Status, res.Body)
		}
		if n := len(actions(t, w, "branch1", "user.second_factor_enrol")); n != 1 {
			t.Errorf("%d enrolment records", n)
		}
		if body := c.Get("/api/v1/me/second-factor").Body; !strings.Contains(body, `"enrolled":true`) || !strings.Contains(body, `"recovery_codes_left":10`) ||
			strings.Contains(body, out.RecoveryCodes[0]) {
			t.Errorf("own second factor after enrolment: %s", body)
		}

		// The phone is left at home: a recovery code, once.
		phoneless := w.Client(t)
		step = passwordStep(t, phoneless, "branch1")
		if step.Kind != "totp" {
			t.Fatalf("second login: %+v", step)
		}
		res = phoneless.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": strings.ToUpper(out.RecoveryCodes[3])})
		if res.Status != http.StatusOK || !strings.Contains(res.Body, `"recovery_codes_left":9`) {
			t.Fatalf("login with a recovery code: %d %s", res.Status, res.Body)
		}
		again := w.Client(t)
		step = passwordStep(t, again, "branch1")
		res = again.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": out.RecoveryCodes[3]})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Fields(t, res)["code"].(string), "恢复码不正确或已使用过") {
			t.Fatalf("the same recovery code again: %d %s", res.Status, res.Body)
		}
		// newest first: the recovery login, then the enrolment's
		if used := actions(t, w, "branch1", "login.success"); len(used) != 2 || !strings.Contains(used[0].After, `"second_factor":"recovery_code"`) {
			t.Errorf("the recovery login's record: %+v", used)
		}
	})
}

// TestLostPhoneReset: the security administrator resets an administrator's
// second factor after a lost phone; the account's sessions end at once, the
// old phone's codes open nothing, and the owner's next login sets up a new
// authenticator. Nobody resets their own, and only the security
// administrator resets at all.
func TestLostPhoneReset(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		owner := w.Login(t, "sysadmin")
		sec := w.Login(t, "secadmin")
		id := webtest.Itoa(w.Users["sysadmin"].ID)
		if res := owner.JSON("POST", "/api/v1/users/"+id+"/second-factor/reset", nil); res.Status != http.StatusForbidden {
			t.Fatalf("the system administrator reset a second factor: %d", res.Status)
		}
		if res := sec.JSON("POST", "/api/v1/users/"+webtest.Itoa(w.Users["secadmin"].ID)+"/second-factor/reset", nil); res.Status != http.StatusConflict {
			t.Fatalf("the security administrator reset their own: %d %s", res.Status, res.Body)
		}
		res := sec.JSON("POST", "/api/v1/users/"+id+"/second-factor/reset", nil)
		if res.Status != http.StatusOK || !strings.Contains(res.Body, `"second_factor":false`) {
			t.Fatalf("reset: %d %s", res.Status, res.Body)
		}
		if owner.Get("/api/v1/me").Status != http.StatusUnauthorized {
			t.Fatalf("the owner's session outlived the reset")
		}
		resets := actions(t, w, "secadmin", "user.second_factor_reset")
		if len(resets) != 1 || resets[0].ObjectID != id {
			t.Fatalf("reset records: %+v", resets)
		}
		if res := sec.JSON("POST", "/api/v1/users/"+id+"/second-factor/reset", nil); res.Status != http.StatusConflict {
			t.Errorf("a second reset of an account without one: %d %s", res.Status, res.Body)
		}
		c := w.Client(t)
		step := passwordStep(t, c, "sysadmin")
		if step.Kind != "totp_enrol" {
			t.Fatalf("after the reset the login asks for %+v", step)
		}
		oldCode := w.Code(t, "sysadmin") // the lost phone's
		if res := c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": step.Challenge, "code": oldCode}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("the old phone's code after the reset: %d %s", res.Status, res.Body)
		}
	})
}

// TestSecondStepOnThePages: the login form of an administrator shows the
// code form (no session yet); a wrong code shows it again with the reason
// beside the field; the right one goes on to the page asked for.
func TestSecondStepOnThePages(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Client(t)
		page := c.Form("/login", url.Values{"username": {"sysadmin"}, "password": {webtest.Password}, "next": {"/users"}})
		challenge := regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindStringSubmatch(page.Body)
		if page.Status != http.StatusOK || challenge == nil || !strings.Contains(page.Body, "两步验证") || page.Header.Get("Set-Cookie") != "" {
			t.Fatalf("password of an administrator: %d %.400s", page.Status, page.Body)
		}
		wrong := c.Form("/login/code", url.Values{"challenge": {challenge[1]}, "code": {"123456"}, "next": {"/users"}})
		if wrong.Status != http.StatusUnprocessableEntity || !strings.Contains(wrong.Body, `id="e-code" data-field="code">动态码不正确`) ||
			!strings.Contains(wrong.Body, challenge[1]) {
			t.Fatalf("wrong code on the page: %d %.600s", wrong.Status, wrong.Body)
		}
		right := c.Form("/login/code", url.Values{"challenge": {challenge[1]}, "code": {w.Code(t, "sysadmin")}, "next": {"/users"}})
		if right.Status != http.StatusSeeOther || right.Header.Get("Location") != "/users" {
			t.Fatalf("right code on the page: %d %s", right.Status, right.Header.Get("Location"))
		}
		if c.Get("/users").Status != http.StatusOK {
			t.Fatalf("the account list after the second step")
		}
	})
}

func decode(t *testing.T, res webtest.Response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(res.Body), v); err != nil {
		t.Fatalf("%v in %d %s", err, res.Status, res.Body)
	}
}
