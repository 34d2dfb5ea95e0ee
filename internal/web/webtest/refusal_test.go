package webtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestRefusedAccessIsAuditedRateLimited: a secretary probing another
// branch's people leaves audit records of the refusals, at most ten a minute
// however fast the probe goes.
func TestRefusedAccessIsAuditedRateLimited(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "branch2")
	probe := func(n int) {
		for range n {
			if res := c.Get("/api/v1/people/" + webtest.Itoa(w.P1.ID)); res.Status != http.StatusNotFound {
				t.Fatalf("branch2 reading branch1's person: %d", res.Status)
			}
		}
	}
	refusals := func() []audit.Entry {
		list, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Username: "branch2", Action: "access.refused", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	probe(50)
	list := refusals()
	if len(list) != 10 {
		t.Fatalf("%d refusals audited for 50 probes in one minute, want 10", len(list))
	}
	if want := `"path":"/api/v1/people/` + webtest.Itoa(w.P1.ID) + `"`; !strings.Contains(list[0].After, want) {
		t.Fatalf("refusal record %s does not name %s", list[0].After, want)
	}
	w.Clock.Advance(2 * time.Minute)
	probe(1)
	if n := len(refusals()); n != 11 {
		t.Fatalf("%d refusals audited after another minute, want 11", n)
	}
}
