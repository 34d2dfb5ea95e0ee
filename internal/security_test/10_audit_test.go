package security_test

import (
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 10: every change writes an audit record in the same
// transaction (time, user, address, action, object, before/after); the log
// is append-only for everyone and kept at least 184 days. Deeper:
// internal/store/store_test.go (TestAuditIsAppendOnly),
// internal/store/audit_archive_test.go (TestAuditRetention: archive signed
// with HMAC-SM3, no pruning inside the minimum), cmd/dangjian/audit_test.go
// (the archive and verify commands), internal/web/auditweb/protection_test.go
// (a dropped trigger is reported), internal/web/auditweb/admin_audit_test.go
// (TestNoRouteChangesTheLog).

// TestLine10ChangesAreRecordedWithWhoWhereWhatBeforeAfter makes changes
// through the API as a secretary would and finds each in the log.
func TestLine10ChangesAreRecordedWithWhoWhereWhatBeforeAfter(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "committee")
		for _, tc := range []struct {
			method, path string
			body         map[string]any
			action       string
			before       bool
		}{
			{"POST", "/api/v1/orgs", map[string]any{"parent_id": w.Root.ID, "kind": "branch", "name": "第三党支部"}, "org.create", false},
			{"PATCH", "/api/v1/people/" + webtest.Itoa(w.P1.ID), map[string]any{"name": "张伟明", "version": w.P1.Version}, "person.update", true},
			{"POST", "/api/v1/people/" + webtest.Itoa(w.P1.ID) + "/reveal", nil, "person.view_sensitive", false},
		} {
			n := auditCount(t, w)
			res := c.JSON(tc.method, tc.path, tc.body)
			if res.Status >= 300 {
				t.Fatalf("%s %s: %d %s", tc.method, tc.path, res.Status, res.Body)
			}
			if got := auditCount(t, w); got != n+1 {
				t.Errorf("%s %s left %d audit records, want 1", tc.method, tc.path, got-n)
			}
			list, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Action: tc.action, Limit: 1})
			if err != nil || len(list) != 1 {
				t.Fatalf("%s: %v %v", tc.action, list, err)
			}
			e := list[0]
			if e.Username != "committee" || e.UserID != w.Users["committee"].ID || e.IP == "" || e.At.IsZero() || e.ObjectType == "" ||
				e.ObjectID == "" || (tc.before && e.Before == "") || (tc.action != "person.view_sensitive" && e.After == "") {
				t.Errorf("%s record: %+v", tc.action, e)
			}
			if tc.before && (!strings.Contains(e.Before, "张伟") || !strings.Contains(e.After, "张伟明")) {
				t.Errorf("%s record does not show the change: before %s after %s", tc.action, e.Before, e.After)
			}
		}
	})
}

// TestLine10AuditInTheSameTransaction: when the audit record cannot be
// written (a database trigger refuses it), the change is not made either.
func TestLine10AuditInTheSameTransaction(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "committee")
		refuse := []string{`CREATE TRIGGER audit_refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`}
		if d == store.Postgres {
			refuse = []string{`CREATE FUNCTION audit_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER audit_refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuse()`}
		}
		for _, q := range refuse {
			if _, err := db(w.Store).ExecContext(t.Context(), q); err != nil {
				t.Fatal(err)
			}
		}
		res := c.JSON("POST", "/api/v1/orgs", map[string]any{"parent_id": w.Root.ID, "kind": "branch", "name": "第三党支部"})
		if res.Status < 500 || !hasChinese(res.Body) || strings.Contains(res.Body, "audit refused") {
			t.Fatalf("a change whose audit record fails: %d %s", res.Status, res.Body)
		}
		res = c.JSON("PATCH", "/api/v1/people/"+webtest.Itoa(w.P1.ID), map[string]any{"name": "张伟明", "version": w.P1.Version})
		if res.Status < 500 {
			t.Fatalf("a person change whose audit record fails: %d %s", res.Status, res.Body)
		}
		var orgs, renamed int
		db(w.Store).QueryRowContext(t.Context(), "SELECT COUNT(*) FROM orgs WHERE name = '第三党支部'").Scan(&orgs)
		db(w.Store).QueryRowContext(t.Context(), "SELECT COUNT(*) FROM people WHERE name = '张伟明'").Scan(&renamed)
		if orgs != 0 || renamed != 0 {
			t.Fatalf("changes without their audit records were kept: %d orgs, %d people", orgs, renamed)
		}
	})
}

// TestLine10AppendOnlyForEveryone: the database itself refuses to change or
// delete an audit record, even for a client connected as the application.
func TestLine10AppendOnlyForEveryone(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		n := auditCount(t, w)
		for _, q := range []string{"UPDATE audit_log SET username = 'nobody'", "DELETE FROM audit_log", "UPDATE audit_log SET after_json = '' WHERE id = 1"} {
			if _, err := db(w.Store).ExecContext(t.Context(), q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", q, err)
			}
		}
		var changed int
		db(w.Store).QueryRowContext(t.Context(), "SELECT COUNT(*) FROM audit_log WHERE username = 'nobody' OR after_json = ''").Scan(&changed)
		if auditCount(t, w) != n || changed != 0 {
			t.Fatalf("the audit log changed: %d → %d records, %d altered", n, auditCount(t, w), changed)
		}
	})
}

// TestLine10RetentionMinimum: the retention is configuration with 184 days
// as its floor; a shorter one stops the server from starting.
func TestLine10RetentionMinimum(t *testing.T) {
	cfg := config.Default()
	if cfg.AuditRetentionDays < 184 {
		t.Fatalf("default retention %d days", cfg.AuditRetentionDays)
	}
	cfg.AuditRetentionDays = 90
	if err := cfg.Check(); err == nil || !strings.Contains(err.Error(), "184") {
		t.Fatalf("90 days of retention: %v", err)
	}
}
