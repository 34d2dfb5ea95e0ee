package peopleweb_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// fixture is the office roster of 40 people the roster package generates.
const fixture = "../../roster/testdata/roster-office.xlsx"

func TestImportAndExportThroughHTTP(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatalf("test workbook (go generate ./internal/roster/ writes it): %v", err)
	}
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		ctx := context.Background()
		for _, o := range []org.Org{{ParentID: w.Root.ID, Kind: org.Branch, Name: "第三党支部"}, {ParentID: w.Root.ID, Kind: org.Unit, Name: "市委政法委"},
			{ParentID: w.Root.ID, Kind: org.Unit, Name: "市人民检察院"}, {ParentID: w.Root.ID, Kind: org.Unit, Name: "市公安局"},
			{ParentID: w.Root.ID, Kind: org.Unit, Name: "市司法局"}, {ParentID: w.Root.ID, Kind: org.Unit, Name: "市法学会"}} {
			if err := w.Store.CreateOrg(ctx, audit.System, auth.Everything, &o); err != nil {
				t.Fatal(err)
			}
		}
		// A branch secretary's scope does not hold the other branches: the
		// whole file is refused, each branch it lacks named once with its
		// rows, and nothing is written.
		b1 := w.Login(t, "branch1")
		res := b1.Upload("/api/v1/people/import", "roster.xlsx", data)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "import_rejected") ||
			!strings.Contains(res.Body, `"missing":[{"kind":"org","name":"第二党支部","rows":[20,`) || strings.Count(res.Body, "第三党支部") != 2 {
			t.Fatalf("branch import: %d %.400s", res.Status, res.Body)
		}
		if n, _ := w.Store.People(ctx, auth.Everything, store.PersonFilter{}); n.Total != 2 {
			t.Fatalf("a refused import wrote people: %d", n.Total)
		}
		// The committee imports all 40.
		c := w.Login(t, "committee")
		res = c.Upload("/api/v1/people/import", "roster.xlsx", data)
		if res.Status != http.StatusOK || res.Decode(t)["imported"].(float64) != 40 {
			t.Fatalf("committee import: %d %s", res.Status, res.Body)
		}
		// Export: all 42 people with full ID numbers for the committee, and
		// only the branch's own people, masked, for its secretary.
		inBranch1, err := w.Store.People(ctx, w.Users["branch1"].Scope(), store.PersonFilter{Limit: 1})
		if err != nil || inBranch1.Total < 2 || inBranch1.Total > 40 {
			t.Fatalf("branch 1 holds %d people (%v)", inBranch1.Total, err)
		}
		for _, tc := range []struct {
			c      *webtest.Client
			rows   int
			masked bool
		}{{c, 42, false}, {b1, inBranch1.Total, true}} {
			res = tc.c.Get("/people/export.xlsx?sort=name")
			if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("export: %d %v", res.Status, res.Header)
			}
			f, err := excelize.OpenReader(strings.NewReader(res.Body))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows(f.GetSheetList()[0])
			ids := 0
			for _, r := range rows {
				for _, cell := range r {
					if len(cell) == 18 && strings.HasPrefix(cell, "370") {
						ids++
						if strings.Contains(cell, "*") != tc.masked {
							t.Fatalf("export masked=%v has %s", tc.masked, cell)
						}
					}
				}
			}
			if ids != tc.rows {
				t.Fatalf("export holds %d ID numbers, want %d", ids, tc.rows)
			}
		}
		entries, _, _ := w.Store.AuditEntries(ctx, audit.Filter{Action: "person.export"})
		if len(entries) != 2 || !strings.Contains(entries[1].After, `"unmasked":true`) {
			t.Fatalf("export audit: %+v", entries)
		}
		// Through the page the import runs in the background: the browser is
		// sent to the job, which shows progress and then the problems table.
		page := b1.Upload("/people/import", "roster.xlsx", data)
		if page.Status != http.StatusSeeOther || !strings.HasPrefix(page.Header.Get("Location"), "/imports/") {
			t.Fatalf("page upload: %d %s", page.Status, page.Header.Get("Location"))
		}
		job := page.Header.Get("Location")
		page = waitImport(t, b1, job)
		if page.Status != http.StatusUnprocessableEntity || !strings.Contains(page.Body, "未导入任何人员") || !strings.Contains(page.Body, "第 3 行") {
			t.Fatalf("import job page: %d", page.Status)
		}
		// Nobody else sees the job.
		if res := c.Get(job); res.Status != http.StatusNotFound {
			t.Fatalf("another user's import job: %d", res.Status)
		}
		// Not a spreadsheet at all.
		res = c.Upload("/api/v1/people/import", "roster.xlsx", []byte("姓名,身份证号\n张三,1\n"))
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "xlsx") {
			t.Fatalf("text upload: %d %s", res.Status, res.Body)
		}
	})
}

// waitImport polls an import job's page, as the browser does, until the job
// has ended, and returns its last answer.
func waitImport(t *testing.T, c *webtest.Client, job string) webtest.Response {
	t.Helper()
	for range 200 {
		res := c.Get(job)
		if !strings.Contains(res.Body, `id="import-progress"`) {
			return res
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("import job %s never ended", job)
	return webtest.Response{}
}
