package security_test

import (
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 14: every form and API field is validated on the server; a bad
// value gets a clear Chinese message beside its field and changes nothing.
// Deeper: internal/web/limits_test.go (every documented text field over its
// limit, the limit beside the field), internal/web/input_test.go,
// internal/web/peopleweb/people_test.go (TestPersonFormShowsMessagesBesideFields),
// internal/web/accountweb/admin_users_test.go, internal/web/eventweb/api_test.go.

// garbage is a body naming the fields the write routes read, each with a
// value no field accepts: a number that is not one, a date that is not one,
// an unknown choice, text with a NUL.
var garbage = map[string]string{
	"name": "\x00", "org_id": "abc", "parent_id": "-x", "person_id": "1e99", "to_org_id": "?", "kind": "boss", "role": "boss",
	"status": "boss", "id_number": "123", "phone": "abc", "joined_on": "2026-13-45", "full_on": "yesterday", "on": "someday",
	"from": "31/02/2026", "to": "x", "version": "v1", "username": "\x00", "position": "\x00", "label": "\x00", "code": "\x00",
	"planned_start": "noon", "planned_end": "later", "kind_id": "x", "topics": "\x00", "direction": "sideways", "marks.mark": "maybe",
	"marks.person_id": "x", "marks.day": "x", "roles": "boss", "on_off": "x", "challenge": "x", "current": "", "password": "",
	"confirm": "x", "disabled": "maybe", "qr_signin": "maybe", "aliases": "\x00", "place": "\x00", "members": "x", "set_up_on": "x", "ended_on": "x",
}

// TestLine14GarbageChangesNothingAndIsAnsweredInChinese sends every writing
// route of both surfaces — as the site mounts them — the garbage above, as
// an account whose role may use the route, so the answer is the validation's
// and not a permission refusal: 4xx, in Chinese, and nothing in the log.
func TestLine14GarbageChangesNothingAndIsAnsweredInChinese(t *testing.T) {
	t.Run("control characters", func(t *testing.T) { sendGarbage(t, garbage) })
	// And with no control character for the kernel to catch: each route's
	// own checks find the empty text, the bad numbers, dates and choices.
	plain := map[string]string{}
	for k, v := range garbage {
		plain[k] = strings.ReplaceAll(v, "\x00", "")
	}
	t.Run("bad values", func(t *testing.T) { sendGarbage(t, plain) })
}

func sendGarbage(t *testing.T, garbage map[string]string) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		byRole := map[auth.Role]*webtest.Client{}
		for _, name := range []string{"sysadmin", "secadmin", "auditor", "committee"} {
			byRole[w.Users[name].Role] = w.Login(t, name)
		}
		ids := strings.NewReplacer("{id}", webtest.Itoa(w.P1.ID), "{fid}", "1", "{mid}", "1", "{name}", "education")
		orgIDs := strings.NewReplacer("{id}", webtest.Itoa(w.Branch1.ID), "{mid}", "1")
		userIDs := strings.NewReplacer("{id}", webtest.Itoa(w.Users["branch1"].ID))
		form := url.Values{}
		for k, v := range garbage {
			form.Set(k, v)
		}
		before := auditCount(t, w)
		walked := 0
		for _, rt := range w.Server.Routes() {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			if method == "GET" || rt.Perm == web.Public || rt.Perm == web.OwnAccount || rt.Perm == web.LoggedIn {
				continue // the open routes: logins and the caller's own account (deeper tests)
			}
			var c *webtest.Client
			for role, cl := range byRole {
				if role.Can(rt.Perm) {
					c = cl
				}
			}
			if c == nil || fieldless(pattern) {
				continue
			}
			path := ids.Replace(pattern)
			if strings.Contains(pattern, "/orgs/") || strings.Contains(pattern, "/event-settings/") {
				path = orgIDs.Replace(pattern)
			} else if strings.Contains(pattern, "/users/") || strings.Contains(pattern, "/security/") {
				path = userIDs.Replace(pattern)
			}
			walked++
			var res webtest.Response
			if strings.HasPrefix(pattern, "/api/") {
				body := map[string]any{}
				for k, v := range garbage {
					body[k] = v
				}
				res = c.JSON(method, path, body)
			} else {
				res = c.Form(path, form)
			}
			// "〔key〕" is a message key the catalogue lacks.
			if res.Status < 400 || res.Status >= 500 || !hasChinese(res.Body) || strings.Contains(res.Body, "〔") {
				t.Errorf("%s %s with garbage: %d %.300s", method, path, res.Status, res.Body)
			}
		}
		if walked < 50 {
			t.Fatalf("only %d writing routes walked", walked)
		}
		list, _, err := w.Store.AuditEntries(t.Context(), webtest.AuditFilter("", ""))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list[:len(list)-before] {
			if !strings.HasPrefix(e.Action, "login.") && e.Action != "access.refused" {
				t.Errorf("garbage left %s by %s on %s/%s: %s", e.Action, e.Username, e.ObjectType, e.ObjectID, e.After)
			}
		}
	})
}

// fieldless are the actions that read no field — their address says it all
// (unlock this account, show this person in full) — so no value can be bad.
// Their refusals to the wrong roles are lines 6 and 7.
func fieldless(pattern string) bool {
	for _, suffix := range []string{"/reveal", "/disable", "/enable", "/unlock", "/reset", "/reset-password", "/second-factor/reset",
		"/activate", "/reject"} {
		if strings.HasSuffix(pattern, suffix) {
			return true
		}
	}
	return false
}
