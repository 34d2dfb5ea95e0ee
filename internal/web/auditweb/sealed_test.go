package auditweb_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestAuditorNeverSeesTheSealedPart: what a record keeps to restore a field
// (under a key starting with "_") appears on no surface of the log: not on
// the page, not in the API, not in the export.
func TestAuditorNeverSeesTheSealedPart(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	const secret, earlier = "370102198503121113", "370102198503121121"
	change := store.Change{Action: "person.update", ObjectType: "person", ObjectID: w.P1.ID, OrgPath: w.Branch1.Path,
		Before: map[string]any{"position": "科员", "id_number": "3701**********1113", "_sealed": map[string]string{"id_number": earlier}},
		After:  map[string]any{"position": "科长", "id_number": "3701**********1113", "_sealed": map[string]string{"id_number": secret}}}
	if err := w.Store.LogEvent(t.Context(), audit.Actor{Username: "branch1"}, change); err != nil {
		t.Fatal(err)
	}
	au := w.Login(t, "auditor")
	for _, path := range []string{"/audit?username=branch1", "/api/v1/audit?username=branch1"} {
		res := au.Get(path)
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "科长") {
			t.Fatalf("%s: %d, the change itself is not shown", path, res.Status)
		}
		if strings.Contains(res.Body, secret) || strings.Contains(res.Body, earlier) || strings.Contains(res.Body, "_sealed") {
			t.Fatalf("%s shows the sealed part", path)
		}
	}
	res := au.Get("/audit/export.xlsx?username=branch1")
	book, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatalf("export: %d %v", res.Status, err)
	}
	rows, _ := book.GetRows("审计日志")
	if len(rows) != 2 {
		t.Fatalf("export rows: %q", rows)
	}
	for _, cell := range rows[1] {
		if strings.Contains(cell, secret) || strings.Contains(cell, earlier) || strings.Contains(cell, "_sealed") {
			t.Fatalf("the export shows the sealed part: %q", cell)
		}
	}
}
