package security_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 8: ID numbers and phone numbers are masked in lists and
// exports unless the role may see them; a full view is itself logged.
// Deeper: internal/people/person_test.go (TestMask),
// internal/roster/export_test.go (TestExportMasks),
// internal/web/peopleweb/person_edit_test.go (the edit form never shows full
// numbers, and saving it keeps them), internal/web/auditweb/sealed_test.go.

// TestLine08ListsAndExportsAreMasked: a branch secretary never sees a full
// number, in pages, API or exports; the committee (whose role may see them)
// sees them only in its export, which is logged like every export.
func TestLine08ListsAndExportsAreMasked(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		p1 := webtest.Itoa(w.P1.ID)
		full := []string{w.P1.IDNumber, w.P1.Phone, w.P1.IDNumber[6:14]}
		for _, who := range []string{"branch1", "committee"} {
			c := w.Login(t, who)
			for _, path := range []string{"/people", "/api/v1/people", "/people/" + p1, "/api/v1/people/" + p1, "/people/" + p1 + "/edit",
				"/people/export.xlsx", "/api/v1/people/export.xlsx"} {
				res := c.Get(path)
				if res.Status != http.StatusOK {
					t.Fatalf("GET %s as %s: %d", path, who, res.Status)
				}
				text := res.Body
				if strings.HasSuffix(path, ".xlsx") {
					text = cells(t, res.Body)
				}
				if !strings.Contains(text, w.P1.Name) {
					t.Fatalf("GET %s as %s does not show %s", path, who, w.P1.Name)
				}
				if who == "committee" && strings.HasSuffix(path, ".xlsx") {
					// The committee may see full numbers: its export has
					// them, and is itself in the log.
					if !strings.Contains(text, w.P1.IDNumber) {
						t.Errorf("GET %s as committee: the export its role may have in full is masked", path)
					}
					continue
				}
				for _, f := range full {
					if strings.Contains(text, f) {
						t.Errorf("GET %s as %s shows %s in full", path, who, f)
					}
				}
			}
		}
		list, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Action: "person.export", Limit: 10})
		if err != nil || len(list) != 4 {
			t.Fatalf("%d exports logged, want 4 (%v)", len(list), err)
		}
	})
}

func TestLine08FullViewOnlyForTheRoleAndLogged(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		path := "/api/v1/people/" + webtest.Itoa(w.P1.ID) + "/reveal"
		if res := w.Login(t, "branch1").JSON("POST", path, nil); res.Status != http.StatusForbidden {
			t.Fatalf("a branch secretary reveals: %d %s", res.Status, res.Body)
		}
		res := w.Login(t, "committee").JSON("POST", path, nil)
		if res.Status != http.StatusOK || !strings.Contains(res.Body, w.P1.IDNumber) || !strings.Contains(res.Body, w.P1.Phone) {
			t.Fatalf("the committee reveals: %d %s", res.Status, res.Body)
		}
		list, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Action: "person.view_sensitive", Limit: 10})
		if err != nil || len(list) != 1 || list[0].Username != "committee" || list[0].ObjectID != webtest.Itoa(w.P1.ID) || list[0].IP == "" {
			t.Fatalf("the full view in the log: %+v %v", list, err)
		}
	})
}

// cells is every cell of a workbook, as text.
func cells(t *testing.T, body string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}
