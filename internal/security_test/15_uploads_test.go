package security_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
	"dangjian/internal/xlsx/xlsxtest"
)

// SECURITY.md 15: imports check every row and report each bad row with its
// number; one bad row imports nothing; uploads have size and type limits
// checked by content, zip-bomb limits, server-made file names, and are never
// executed or served inline as HTML. Deeper: internal/roster/import_test.go
// and limits_test.go, internal/xlsx/attacks_test.go (a gigabyte bomb, huge
// cells, blank-cell floods, merged-range floods), internal/web/eventweb/import_test.go
// (TestAttachmentsByContent, TestPaperSheetImport),
// internal/web/peopleweb/import_cancel_test.go.

func peopleTotal(t *testing.T, w *webtest.World) int {
	t.Helper()
	page, err := w.Store.People(t.Context(), auth.Everything, store.PersonFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// TestLine15OneBadRowImportsNothing: a roster of five with two bad rows is
// refused whole, each bad row named by its spreadsheet row number.
func TestLine15OneBadRowImportsNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		f, err := excelize.OpenReader(bytes.NewReader(webtest.RosterFile(t, 5)))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetName(0)
		id, _ := f.GetCellValue(sheet, "C3")
		f.SetCellValue(sheet, "C3", webtest.WrongCheck(id)) // row 3: a wrong check character
		f.SetCellValue(sheet, "E5", "去年")                   // row 5: not a date
		buf, _ := f.WriteToBuffer()
		before := peopleTotal(t, w)
		res := w.Login(t, "committee").Upload("/api/v1/people/import", "roster.xlsx", buf.Bytes())
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a roster with bad rows: %d %.300s", res.Status, res.Body)
		}
		var out struct {
			Error struct {
				Problems []struct {
					Row     int
					Message string
				}
			}
		}
		json.Unmarshal([]byte(res.Body), &out)
		rows := map[int]bool{}
		for _, p := range out.Error.Problems {
			rows[p.Row] = true
			if !hasChinese(p.Message) {
				t.Errorf("row %d: %q", p.Row, p.Message)
			}
		}
		if !rows[3] || !rows[5] || len(rows) != 2 {
			t.Fatalf("bad rows reported: %v in %.400s", rows, res.Body)
		}
		if n := peopleTotal(t, w); n != before {
			t.Fatalf("a refused roster imported %d people", n-before)
		}
	})
}

// TestLine15TypeAndSizeByContentAndZipBombs: what a file is, is read from its
// bytes, not its name; a small file that inflates past the limit is refused.
func TestLine15TypeAndSizeByContentAndZipBombs(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	before := peopleTotal(t, w)
	bomb := xlsxtest.ZipBomb(120 << 20)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"roster.xlsx", []byte("<html><script>alert(1)</script></html>")},
		{"roster.xlsx", []byte("姓名,身份证号\n张三,1\n")},
		{"roster.xlsx", bomb},
	} {
		res := c.Upload("/api/v1/people/import", tc.name, tc.data)
		if res.Status < 400 || res.Status >= 500 || !hasChinese(res.Body) {
			t.Errorf("%s of %d bytes: %d %.300s", tc.name, len(tc.data), res.Status, res.Body)
		}
	}
	if len(bomb) > 2<<20 {
		t.Fatalf("the bomb is %d bytes, not a small upload", len(bomb))
	}
	if n := peopleTotal(t, w); n != before {
		t.Fatalf("refused files imported %d people", n-before)
	}
	// Over the upload size: refused, saying so.
	res := c.Upload("/api/v1/people/import", "roster.xlsx", bytes.Repeat([]byte{'P', 'K'}, 40<<20))
	if (res.Status != http.StatusRequestEntityTooLarge && res.Status != http.StatusUnprocessableEntity) || !strings.Contains(res.Body, "超过") {
		t.Fatalf("an 80 MB upload: %d %.200s", res.Status, res.Body)
	}
}

// TestLine15FilesServedAsAttachmentsNeverHTML: an attachment is stored under
// a name the server makes and given back as a download, with nosniff, never
// as a page the browser would render.
func TestLine15FilesServedAsAttachmentsNeverHTML(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	kinds, _ := w.Store.EventKinds(ctx)
	start := w.Clock.Now().Add(24 * time.Hour)
	e := &event.Event{OrgID: w.Branch1.ID, KindID: kinds[0].ID, PlannedStart: start, PlannedEnd: start.Add(time.Hour),
		Topics: "学习", QRStep: event.DefaultQRStep, QRMargin: event.DefaultQRMargin}
	if err := w.Store.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	c := w.Login(t, "branch1")
	base := "/api/v1/events/" + webtest.Itoa(e.ID) + "/files"
	if res := c.Upload(base, "记录.pdf", []byte("<!doctype html><html><script>alert(1)</script></html>")); res.Status != http.StatusUnprocessableEntity || !hasChinese(res.Body) {
		t.Fatalf("an HTML page named .pdf: %d %s", res.Status, res.Body)
	}
	res := c.Upload(base, "../../x<script>.html", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))
	if res.Status != http.StatusCreated {
		t.Fatalf("a PDF named .html: %d %s", res.Status, res.Body)
	}
	f := res.Decode(t)
	name, _ := f["name"].(string)
	if strings.ContainsAny(name, "/\\<>") || strings.HasSuffix(name, ".html") {
		t.Fatalf("stored under the name %q", name)
	}
	for _, path := range []string{"/events/" + webtest.Itoa(e.ID) + "/files/" + webtest.Itoa(int64(f["id"].(float64))), "/people/export.xlsx", "/people/template.xlsx"} {
		dl := c.Get(path)
		disp, _, err := mime.ParseMediaType(dl.Header.Get("Content-Disposition"))
		ct := dl.Header.Get("Content-Type")
		if dl.Status != http.StatusOK || err != nil || disp != "attachment" || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
			strings.Contains(ct, "html") || ct == "" {
			t.Errorf("GET %s: %d, Content-Disposition %q, Content-Type %q, nosniff %q", path, dl.Status,
				dl.Header.Get("Content-Disposition"), ct, dl.Header.Get("X-Content-Type-Options"))
		}
	}
}
