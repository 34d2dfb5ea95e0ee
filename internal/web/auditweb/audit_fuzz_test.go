package auditweb

import (
	"net/url"

	"dangjian/internal/audit"
	"strings"
	"testing"
)

// FuzzAuditQuery: the audit filter comes from the address bar; whatever it
// holds, parsing neither panics nor accepts a range that ends before it starts.
func FuzzAuditQuery(f *testing.F) {
	f.Add("from=2026-06-01&to=2026-06-30&username=branch1&action=person.&object_type=person&object_id=12&page=2")
	f.Add("from=2026/06/01&to=x&action=%25&object_id=-1&page=-5")
	f.Add("to=2026-02-30&action=" + strings.Repeat("a", 100))
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		aq, filter, err := parseAuditQuery(q)
		if aq.Page < 1 || filter.Offset < 0 {
			t.Fatalf("page %d offset %d", aq.Page, filter.Offset)
		}
		if err == nil && !filter.From.IsZero() && !filter.To.IsZero() && !filter.To.After(filter.From) {
			t.Fatalf("accepted range %v – %v", filter.From, filter.To)
		}
	})
}

// FuzzAuditChanges: before/after come from the database, but a diff of
// anything must render without panicking.
func FuzzAuditChanges(f *testing.F) {
	f.Add(`{"position":"","name":"张伟"}`, `{"position":"科长","name":"张伟"}`)
	f.Add("", `{"id":1}`)
	f.Add(`[1,2]`, `"x"`)
	f.Add(`{"a":{"b":[1,null]}}`, `{}`)
	f.Fuzz(func(t *testing.T, before, after string) {
		p := &presenter{names: map[string]map[int64]string{}}
		e := audit.Entry{ObjectType: "person", Before: before, After: after}
		list := p.changes(e)
		_ = p.objectName(e)
		_ = changesText(list)
		if before == after && before != "" && len(list) > 0 && list[0].Key != "" {
			t.Fatalf("identical objects differ: %v", list)
		}
	})
}
