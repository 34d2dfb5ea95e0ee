package authweb_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestForgedForwardedForBeatsNeitherLimitNorAudit: behind a proxy
// (--trust-proxy), a client that rotates the X-Forwarded-For it sends is
// still limited by the address the proxy saw, and the audit log records
// that address, never the forged ones.
func TestForgedForwardedForBeatsNeitherLimitNorAudit(t *testing.T) {
	w := webtest.NewWorldWith(t, store.SQLite, func(c *config.Config) { c.TrustProxy, c.LoginPerMin = true, 3 })
	c := w.Client(t)
	statuses := []int{}
	for i := range 6 {
		req, _ := http.NewRequest("POST", w.URL+"/api/v1/auth/login", bytes.NewReader([]byte(`{"username":"branch1","password":"wrong"}`)))
		req.Header.Set("Content-Type", "application/json")
		// The client forges the left entry; the proxy appends what it saw.
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.9.9.%d, 198.51.100.7", i))
		statuses = append(statuses, c.Do(req).Status)
	}
	if statuses[3] != http.StatusTooManyRequests || statuses[5] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v: the limit of 3 a minute was beaten by rotating X-Forwarded-For", statuses)
	}
	entries, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Action: "login.", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IP != "198.51.100.7" {
			t.Fatalf("audit record %s from %q, want the address the proxy saw", e.Action, e.IP)
		}
	}
}
