package auditweb_test

import (
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// TestDroppedAuditTriggerIsReported: when someone removes the database's
// protection of the log, the audit administrator's 工作台 says so.
func TestDroppedAuditTriggerIsReported(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		au := w.Login(t, "auditor")
		if res := au.Get("/"); strings.Contains(res.Body, "防篡改保护已缺失") {
			t.Fatal("a warning while the log is protected")
		}
		// Someone with the database's password drops a trigger.
		drop, pool := "DROP TRIGGER audit_log_no_update", "sqlite_writer"
		if d == store.Postgres {
			drop, pool = "DROP TRIGGER audit_log_no_change ON audit_log", "postgres"
		}
		if _, err := w.Store.Pools()[pool].Exec(drop); err != nil {
			t.Fatal(err)
		}
		res := au.Get("/")
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "防篡改保护已缺失") {
			t.Fatalf("no warning after the trigger was dropped: %d", res.Status)
		}
		if res := w.Login(t, "committee").Get("/"); strings.Contains(res.Body, "防篡改保护") {
			t.Fatal("the committee is shown the audit warning")
		}
	})
}
