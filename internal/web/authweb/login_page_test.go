package authweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// The login page says how a forgotten password is reset and what locks an
// account, and warns before the attempt that would lock it — for a real
// account and an unknown name alike, so the warning tells an outsider
// nothing about which usernames exist.
func TestLoginPageWarnsBeforeTheLastAttempt(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	page := w.Client(t).Get("/login").Body
	if !strings.Contains(page, "忘记密码？") || !strings.Contains(page, "安全管理员") || !strings.Contains(page, "连续输错密码5次，账号将被锁定30分钟") {
		t.Fatal("the login page does not say how to get a password reset or what locks an account")
	}
	for _, username := range []string{"member", "nobody-here"} {
		c := w.Client(t)
		form := url.Values{"username": {username}, "password": {"wrong-Password1"}}
		var body string
		for try := 1; try <= 4; try++ {
			res := c.Form("/login", form)
			if res.Status != http.StatusUnauthorized {
				t.Fatalf("%s, try %d: %d", username, try, res.Status)
			}
			body = res.Body
			if warned := strings.Contains(body, `id="lock-warning"`); warned != (try == 4) {
				t.Fatalf("%s, after %d wrong passwords the warning is shown: %v", username, try, warned)
			}
			form.Set("tries", strings.Split(strings.Split(body, `name="tries" value="`)[1], `"`)[0])
			form.Set("tried", username)
		}
		if !strings.Contains(body, "再输错一次密码，账号将被锁定30分钟") {
			t.Fatalf("%s: the warning does not say what happens", username)
		}
		// Another username starts the count again.
		form.Set("username", "someone-else")
		if res := c.Form("/login", form); strings.Contains(res.Body, `id="lock-warning"`) {
			t.Fatal("the count follows a different username")
		}
	}
}
