package security_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 1: accounts are unique; no default password survives first
// start; empty and weak passwords are refused; the policy is configuration,
// default 等保-strict. Deeper: cmd/dangjian/main_test.go
// (TestFreshInstallationHasNoDefaultPassword runs the binary's serve and
// completes the setup link with its second factor),
// internal/web/accountweb/admin_users_test.go, internal/auth/password_test.go.

// TestLine01FirstStartHasNoAccountOnlyASetupLink: a fresh installation has
// no account at all — so no default password to guess — and offers a
// one-time setup link, which refuses an empty or weak first password.
func TestLine01FirstStartHasNoAccountOnlyASetupLink(t *testing.T) {
	a, base := startApp(t, func(*config.Config) {})
	if n, err := a.Store().CountUsers(t.Context()); err != nil || n != 0 {
		t.Fatalf("a fresh installation has %d accounts (%v), want none", n, err)
	}
	for _, guess := range [][2]string{{"admin", "admin"}, {"admin", "123456"}, {"admin", "Admin@123"}, {"root", "root"}, {"sysadmin", "Kaifa#2026test"}} {
		res, err := http.PostForm(base+"/login", url.Values{"username": {guess[0]}, "password": {guess[1]}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s/%s on a fresh installation: %d", guess[0], guess[1], res.StatusCode)
		}
	}
	link, err := a.SetupLink(t.Context())
	if err != nil || !strings.Contains(link, "/setup?token=") {
		t.Fatalf("setup link %q: %v", link, err)
	}
	token := link[strings.Index(link, "token=")+len("token="):]
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(tok, pw string) (int, string) {
		res, err := c.PostForm(base+"/setup", url.Values{"token": {tok}, "username": {"root1"}, "password": {pw}, "confirm": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := readBody(res)
		return res.StatusCode, b
	}
	for _, tc := range []struct{ pw, want string }{
		{"", "密码不能为空"},
		{"Ab1#", "密码长度不足"},
		{"abcdefghijkl", "至少三类"},
		{"P@ssw0rd2026", "过于简单"},
		{"Root1#longenough", "不能包含用户名"},
	} {
		status, body := post(token, tc.pw)
		if status < 400 || status >= 500 || !strings.Contains(body, tc.want) {
			t.Errorf("setup with password %q: %d, want 4xx with %q", tc.pw, status, tc.want)
		}
	}
	if n, _ := a.Store().CountUsers(t.Context()); n != 0 {
		t.Fatalf("refused passwords made %d accounts", n)
	}
	if status, _ := post("not-the-token", "Kaifa#2026root"); status < 400 {
		t.Fatalf("setup with a made-up token: %d", status)
	}
	if status, _ := post(token, "Kaifa#2026root"); status != http.StatusOK {
		t.Fatalf("setup with a good password: %d", status)
	}
	if n, _ := a.Store().CountUsers(t.Context()); n != 1 {
		t.Fatalf("%d accounts after setup, want 1", n)
	}
	if link, _ := a.SetupLink(t.Context()); link != "" {
		t.Fatalf("a second setup link once an account exists: %s", link)
	}
}

// TestLine01UsernamesAreUnique: a second account of a name in use is refused,
// whatever its letter case, and nothing is created.
func TestLine01UsernamesAreUnique(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sa := w.Login(t, "sysadmin")
		for _, name := range []string{"branch1", "BRANCH1", "Branch1"} {
			res := sa.JSON("POST", "/api/v1/users", map[string]any{"username": name, "role": "branch_admin", "org_id": w.Branch1.ID})
			if got, _ := webtest.Fields(t, res)["username"].(string); res.Status != http.StatusConflict || got != "用户名已被使用" {
				t.Errorf("a second %q: %d %s", name, res.Status, res.Body)
			}
		}
		var n int
		if err := db(w.Store).QueryRowContext(t.Context(), "SELECT COUNT(*) FROM users WHERE LOWER(username) = 'branch1'").Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d accounts named branch1 (%v)", n, err)
		}
	})
}

// TestLine01PolicyIsConfiguration: the same new password is taken under the
// default policy and refused under a stricter configured one; the default
// is 等保-strict (10 characters, 3 classes, 90 days, 5 remembered).
func TestLine01PolicyIsConfiguration(t *testing.T) {
	d := config.Default().Password
	if d.MinLength < 8 || d.MinClasses < 3 || d.MaxAgeDays == 0 || d.MaxAgeDays > 90 || d.HistorySize < 1 {
		t.Fatalf("default password policy %+v is not 等保-strict", d)
	}
	const next = "Xinmima#2026a" // 13 characters, four classes
	strict := webtest.NewWorldWith(t, store.SQLite, func(c *config.Config) { c.Password.MinLength = 16 })
	res := strict.Login(t, "branch1").JSON("POST", "/api/v1/me/password", map[string]any{"current": webtest.Password, "password": next})
	if got, _ := webtest.Fields(t, res)["password"].(string); res.Status != http.StatusUnprocessableEntity || !strings.Contains(got, "密码长度不足") {
		t.Fatalf("13 characters under a 16-character policy: %d %s", res.Status, res.Body)
	}
	plain := webtest.NewWorld(t, store.SQLite)
	if res := plain.Login(t, "branch1").JSON("POST", "/api/v1/me/password", map[string]any{"current": webtest.Password, "password": next}); res.Status >= 300 {
		t.Fatalf("the same password under the default policy: %d %s", res.Status, res.Body)
	}
	// The old password no longer opens the account; the new one does.
	if _, res := loginCookie(t, plain, "branch1", webtest.Password); res.Status != http.StatusUnauthorized {
		t.Fatalf("old password after the change: %d", res.Status)
	}
	if ck, res := loginCookie(t, plain, "branch1", next); ck == nil {
		t.Fatalf("new password: %d %s", res.Status, res.Body)
	}
}

func readBody(res *http.Response) (string, error) {
	var b strings.Builder
	_, err := io.Copy(&b, res.Body)
	return b.String(), err
}
