package accountweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// login tries a username and password through the API.
func login(t *testing.T, w *webtest.World, username, password string) (*webtest.Client, webtest.Response) {
	t.Helper()
	c := w.Client(t)
	return c, c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": password})
}

// TestSystemAdminAloneCannotGetALoginThatListsPeople walks the attempt of a
// system administrator to get a working login to business data on their
// own: a 党委管理员 with a password of their choosing, a member account linked
// to a person of their choosing, then activating or resetting either. Every
// step is refused; nobody logs in to either account.
func TestSystemAdminAloneCannotGetALoginThatListsPeople(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sa := w.Login(t, "sysadmin")
		const chosen = "Woxuande#2026pw"
		ids := map[string]string{}
		for _, acc := range []map[string]any{
			{"username": "shadow", "role": "committee_admin", "org_id": w.Root.ID, "password": chosen, "confirm": chosen},
			{"username": "shadow2", "role": "member", "org_id": w.Branch2.ID, "person_id": w.P2.ID, "password": chosen, "confirm": chosen},
		} {
			res := sa.JSON("POST", "/api/v1/users", acc)
			if res.Status != http.StatusCreated {
				t.Fatalf("propose %s: %d %s", acc["username"], res.Status, res.Body)
			}
			got := res.Decode(t)
			if got["pending"] != true || got["temporary_password"] != nil {
				t.Fatalf("%s was not created pending: %v", acc["username"], got)
			}
			ids[acc["username"].(string)] = webtest.Itoa(int64(got["id"].(float64)))
		}
		for name, id := range ids {
			for _, pw := range []string{chosen, ""} {
				if _, res := login(t, w, name, pw); res.Status != http.StatusUnauthorized {
					t.Errorf("login as the pending %s with %q: %d %s", name, pw, res.Status, res.Body)
				}
			}
			for _, path := range []string{"/activate", "/reset-password", "/enable", "/unlock"} {
				if res := sa.JSON("POST", "/api/v1/users/"+id+path, map[string]any{"password": chosen}); res.Status != http.StatusForbidden {
					t.Errorf("system administrator POST %s on %s: %d", path, name, res.Status)
				}
			}
			if res := sa.Form("/security/"+id+"/activate", nil); res.Status != http.StatusForbidden {
				t.Errorf("system administrator activates %s through the page: %d", name, res.Status)
			}
			if _, res := login(t, w, name, chosen); res.Status != http.StatusUnauthorized {
				t.Errorf("login as %s after the refused steps: %d", name, res.Status)
			}
		}
		// The system administrator's own session reads no roster either.
		for _, path := range []string{"/api/v1/people", "/api/v1/people/" + webtest.Itoa(w.P2.ID)} {
			if res := sa.Get(path); res.Status != http.StatusForbidden {
				t.Errorf("system administrator GET %s: %d", path, res.Status)
			}
		}
		entries, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Action: "login.success"})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Username, "shadow") {
				t.Errorf("%s logged in", e.Username)
			}
		}
	})
}

// resetByAPI has the security administrator reset an account and returns the
// temporary password.
func resetByAPI(t *testing.T, w *webtest.World, sec *webtest.Client, username string) string {
	t.Helper()
	res := sec.JSON("POST", "/api/v1/users/"+webtest.Itoa(w.Users[username].ID)+"/reset-password", nil)
	temp, _ := res.Decode(t)["temporary_password"].(string)
	if res.Status != http.StatusOK || temp == "" {
		t.Fatalf("reset %s: %d %s", username, res.Status, res.Body)
	}
	return temp
}

// TestSecurityAdminCannotReuseOldPassword: a security administrator who
// resets the committee's password and logs in with the temporary one cannot
// put the owner's old password back, so the owner notices; nor can the owner
// go back to any of their last five passwords, and the sixth is free again.
func TestSecurityAdminCannotReuseOldPassword(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sec := w.Login(t, "secadmin")
		temp := resetByAPI(t, w, sec, "committee")
		c, res := login(t, w, "committee", temp)
		if res.Status != http.StatusOK {
			t.Fatalf("login with the temporary password: %d", res.Status)
		}
		res = c.JSON("POST", "/api/v1/me/password", map[string]any{"current": temp, "password": webtest.Password, "confirm": webtest.Password})
		if res.Status != http.StatusUnprocessableEntity || webtest.Fields(t, res)["password"] != "新密码不能与最近使用过的密码相同" {
			t.Fatalf("the owner's old password back: %d %s", res.Status, res.Body)
		}
		page := c.Form("/password", url.Values{"current": {temp}, "password": {webtest.Password}, "confirm": {webtest.Password}})
		if page.Status != http.StatusUnprocessableEntity || !strings.Contains(page.Body, `data-field="password">新密码不能与最近使用过的密码相同</p>`) {
			t.Fatalf("the owner's old password back through the page: %d", page.Status)
		}
		if _, res := login(t, w, "committee", webtest.Password); res.Status != http.StatusUnauthorized {
			t.Fatalf("the old password works again: %d", res.Status)
		}

		// The owner chooses five new passwords; none of the last five may come back.
		current := temp
		for i := 1; i <= 5; i++ {
			next := fmt.Sprintf("Xinmima#2026n%d", i)
			res = c.JSON("POST", "/api/v1/me/password", map[string]any{"current": current, "password": next})
			if res.Status != http.StatusNoContent {
				t.Fatalf("change %d: %d %s", i, res.Status, res.Body)
			}
			current = next
		}
		for _, old := range []string{"Xinmima#2026n1", "Xinmima#2026n4"} {
			res = c.JSON("POST", "/api/v1/me/password", map[string]any{"current": current, "password": old})
			if res.Status != http.StatusUnprocessableEntity || webtest.Fields(t, res)["password"] != "新密码不能与最近使用过的密码相同" {
				t.Fatalf("%s, one of the last five: %d %s", old, res.Status, res.Body)
			}
		}
		res = c.JSON("POST", "/api/v1/me/password", map[string]any{"current": current, "password": current})
		if res.Status != http.StatusUnprocessableEntity || webtest.Fields(t, res)["password"] != "新密码不能与当前密码相同" {
			t.Fatalf("the current password again: %d %s", res.Status, res.Body)
		}
		// webtest.Password was six passwords ago: free again.
		if res = c.JSON("POST", "/api/v1/me/password", map[string]any{"current": current, "password": webtest.Password}); res.Status != http.StatusNoContent {
			t.Fatalf("a password six changes old: %d %s", res.Status, res.Body)
		}
	})
}

// TestOwnerIsToldWhoResetTheirPassword: after the security administrator
// resets the committee's password, whoever logs in with it is told who set it
// and when (login answer and page), and the audit administrator's view marks
// that login. Once the owner has chosen their own, logins are plain again.
func TestOwnerIsToldWhoResetTheirPassword(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sec := w.Login(t, "secadmin")
		temp := resetByAPI(t, w, sec, "committee")
		const notice = "您当前的密码由 secadmin 于 2026-06-30 17:00 设置，请立即设置只有您本人知道的新密码。如果您没有申请开通或重置密码，请立即联系安全管理员。"
		c, res := login(t, w, "committee", temp)
		issued, _ := res.Decode(t)["password_issued"].(map[string]any)
		if res.Status != http.StatusOK || issued["by"] != "secadmin" || issued["at"] != "2026-06-30T09:00:00Z" || issued["message"] != notice {
			t.Fatalf("login answer: %d %s", res.Status, res.Body)
		}
		pc := w.Client(t)
		if res := pc.Form("/login", url.Values{"username": {"committee"}, "password": {temp}, "next": {"/people"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("page login: %d", res.Status)
		}
		if res := pc.Get("/people"); res.Header.Get("Location") != "/password" {
			t.Fatalf("after a page login with the temporary password: %d %s", res.Status, res.Header.Get("Location"))
		}
		if page := pc.Get("/password"); !strings.Contains(page.Body, `<p class="alert" role="alert" id="password-issued">`+notice+`</p>`) {
			t.Fatalf("the password page does not tell who set the password: %s", page.Body)
		}
		// The audit administrator's view marks both logins.
		aud := w.Login(t, "auditor")
		view := aud.Get("/audit?action=login.&username=committee")
		if n := strings.Count(view.Body, `<tr data-action="login.temporary">`); n != 2 || !strings.Contains(view.Body, "登录（使用他人设置的临时密码）") || !strings.Contains(view.Body, "secadmin") {
			t.Fatalf("audit view marks %d temporary-password logins, want 2: %s", n, view.Body)
		}
		// The owner chooses a password: from now on logins are ordinary.
		if res := c.JSON("POST", "/api/v1/me/password", map[string]any{"current": temp, "password": "Xinmima#2026ok"}); res.Status != http.StatusNoContent {
			t.Fatalf("change: %d %s", res.Status, res.Body)
		}
		_, res = login(t, w, "committee", "Xinmima#2026ok")
		if got := res.Decode(t); res.Status != http.StatusOK || got["password_issued"] != nil || got["password_change_required"] != false {
			t.Fatalf("login after choosing: %d %s", res.Status, res.Body)
		}
		entries, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Username: "committee", Action: "login.", Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].Action != "login.success" {
			t.Fatalf("last login record: %+v %v", entries, err)
		}
	})
}
