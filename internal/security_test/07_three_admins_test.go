package security_test

import (
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 7: the three administrators (系统管理员, 安全管理员, 审计管理员)
// are separate: none can do another's job, and the audit administrator can
// read the audit log but change nothing else. Deeper, with each refused
// request's effect checked: internal/web/webtest/admin_separation_test.go,
// internal/web/accountweb/separation_test.go (nobody activates their own
// proposal, a reset is told to the owner), internal/store/accounts_test.go.

// TestLine07EveryRouteOfAnotherAdministratorIsRefused walks the whole route
// table, as the site mounts it, as each administrator: every route whose
// permission their role lacks answers 403, and the auditor's only write that
// gets past the permission check concerns their own login.
func TestLine07EveryRouteOfAnotherAdministratorIsRefused(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		ids := strings.NewReplacer("{id}", webtest.Itoa(w.Users["branch1"].ID), "{fid}", "1", "{mid}", "1", "{name}", "education")
		jobs := map[auth.Role]string{auth.SystemAdmin: "sysadmin", auth.SecurityAdmin: "secadmin", auth.AuditAdmin: "auditor"}
		// The jobs do not overlap: a permission held by two administrators is
		// only the reading of the account list.
		for _, rt := range w.Server.Routes() {
			var holders []string
			for role, name := range jobs {
				if isOpen(rt.Perm) || !role.Can(rt.Perm) {
					continue
				}
				holders = append(holders, name)
			}
			if len(holders) > 1 && rt.Perm != auth.UserRead {
				t.Errorf("%s (%s) is open to %v", rt.Pattern, rt.Perm, holders)
			}
		}
		before := auditCount(t, w)
		for role, name := range jobs {
			c := w.Login(t, name)
			n := 0
			for _, rt := range w.Server.Routes() {
				method, pattern, _ := strings.Cut(rt.Pattern, " ")
				if isOpen(rt.Perm) || role.Can(rt.Perm) {
					if role == auth.AuditAdmin && method != "GET" && rt.Perm != web.OwnAccount && rt.Perm != web.Public {
						// Open to any login (a member's sign-in): the auditor,
						// who is nobody on the roster, still changes nothing.
						if res := c.JSON(method, ids.Replace(pattern), map[string]any{"code": "000000"}); res.Status < 400 {
							t.Errorf("the auditor may %s: %d", rt.Pattern, res.Status)
						}
					}
					continue
				}
				n++
				req, _ := http.NewRequest(method, w.URL+ids.Replace(pattern), strings.NewReader(`{"username":"intruder","role":"system_admin","name":"越权"}`))
				req.Header.Set("Content-Type", "application/json")
				if res := c.Do(req); res.Status != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", rt.Pattern, name, res.Status)
				}
			}
			if n < 20 {
				t.Errorf("%s was refused only %d routes", name, n)
			}
		}
		// The refusals changed nothing: the log gained only logins and
		// records of refused access.
		list, _, err := w.Store.AuditEntries(t.Context(), webtest.AuditFilter("", ""))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list[:len(list)-before] {
			if e.Action != "access.refused" && !strings.HasPrefix(e.Action, "login.") && e.Action != "session.start" {
				t.Errorf("a refused request left %s by %s", e.Action, e.Username)
			}
		}
	})
}

// TestLine07AuditorReadsTheLog: the audit administrator reads and exports
// the log, and is the only administrator who can.
func TestLine07AuditorReadsTheLog(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	if res := w.Login(t, "auditor").Get("/api/v1/audit"); res.Status != http.StatusOK || !strings.Contains(res.Body, "person.create") {
		t.Fatalf("the auditor reads the log: %d %.200s", res.Status, res.Body)
	}
	for _, who := range []string{"sysadmin", "secadmin", "committee"} {
		if res := w.Login(t, who).Get("/api/v1/audit"); res.Status != http.StatusForbidden {
			t.Errorf("%s reads the log: %d", who, res.Status)
		}
	}
}

func isOpen(p auth.Perm) bool { return p == web.Public || p == web.LoggedIn || p == web.OwnAccount }
