package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
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
)

const fixture = "../../../shared/fixtures/roster-sample.xlsx"

// upload posts a file as the multipart field "file".
func (c *client) upload(path, name string, data []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestImportAndExportThroughHTTP(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		storetest.Missing(t, "the shared fixture "+fixture+" is not beside the repository")
	}
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		ctx := context.Background()
		for _, o := range []org.Org{{ParentID: w.root.ID, Kind: org.Branch, Name: "第三党支部"}, {ParentID: w.root.ID, Kind: org.Unit, Name: "市委政法委"},
			{ParentID: w.root.ID, Kind: org.Unit, Name: "市人民检察院"}, {ParentID: w.root.ID, Kind: org.Unit, Name: "市公安局"},
			{ParentID: w.root.ID, Kind: org.Unit, Name: "市司法局"}, {ParentID: w.root.ID, Kind: org.Unit, Name: "市法学会"}} {
			if err := w.st.CreateOrg(ctx, audit.System, auth.Everything, &o); err != nil {
				t.Fatal(err)
			}
		}
		// A branch secretary's scope does not hold the other branches: the
		// whole file is refused, row by row, and nothing is written.
		b1 := w.login(t, "branch1")
		res := b1.upload("/api/v1/people/import", "roster.xlsx", data)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "import_rejected") || !strings.Contains(res.body, `"row":`) {
			t.Fatalf("branch import: %d %.400s", res.status, res.body)
		}
		if n, _ := w.st.People(ctx, auth.Everything, store.PersonFilter{}); n.Total != 2 {
			t.Fatalf("a refused import wrote people: %d", n.Total)
		}
		// The committee imports all 40.
		c := w.login(t, "committee")
		res = c.upload("/api/v1/people/import", "roster.xlsx", data)
		if res.status != http.StatusOK || res.decode(t)["imported"].(float64) != 40 {
			t.Fatalf("committee import: %d %s", res.status, res.body)
		}
		// Export: all 42 people with full ID numbers for the committee, and
		// only the branch's own people, masked, for its secretary.
		inBranch1, err := w.st.People(ctx, w.users["branch1"].Scope(), store.PersonFilter{Limit: 1})
		if err != nil || inBranch1.Total < 2 || inBranch1.Total > 40 {
			t.Fatalf("branch 1 holds %d people (%v)", inBranch1.Total, err)
		}
		for _, tc := range []struct {
			c      *client
			rows   int
			masked bool
		}{{c, 42, false}, {b1, inBranch1.Total, true}} {
			res = tc.c.get("/people/export.xlsx?sort=name")
			if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("export: %d %v", res.status, res.header)
			}
			f, err := excelize.OpenReader(strings.NewReader(res.body))
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
		entries, _, _ := w.st.AuditEntries(ctx, audit.Filter{Action: "person.export"})
		if len(entries) != 2 || !strings.Contains(entries[1].After, `"unmasked":true`) {
			t.Fatalf("export audit: %+v", entries)
		}
		// Through the page the import runs in the background: the browser is
		// sent to the job, which shows progress and then the problems table.
		page := b1.upload("/people/import", "roster.xlsx", data)
		if page.status != http.StatusSeeOther || !strings.HasPrefix(page.header.Get("Location"), "/imports/") {
			t.Fatalf("page upload: %d %s", page.status, page.header.Get("Location"))
		}
		job := page.header.Get("Location")
		page = waitImport(t, b1, job)
		if page.status != http.StatusUnprocessableEntity || !strings.Contains(page.body, "未导入任何人员") || !strings.Contains(page.body, "第 3 行") {
			t.Fatalf("import job page: %d", page.status)
		}
		// Nobody else sees the job.
		if res := c.get(job); res.status != http.StatusNotFound {
			t.Fatalf("another user's import job: %d", res.status)
		}
		// Not a spreadsheet at all.
		res = c.upload("/api/v1/people/import", "roster.xlsx", []byte("姓名,身份证号\n张三,1\n"))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "xlsx") {
			t.Fatalf("text upload: %d %s", res.status, res.body)
		}
	})
}

// waitImport polls an import job's page, as the browser does, until the job
// has ended, and returns its last answer.
func waitImport(t *testing.T, c *client, job string) response {
	t.Helper()
	for range 200 {
		res := c.get(job)
		if !strings.Contains(res.body, `id="import-progress"`) {
			return res
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("import job %s never ended", job)
	return response{}
}
