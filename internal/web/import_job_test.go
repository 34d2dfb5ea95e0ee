package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// rosterFile makes an .xlsx roster of n valid members of 第一党支部.
func rosterFile(t *testing.T, n int) []byte {
	t.Helper()
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	f.SetSheetRow(sheet, "A1", &[]any{"序号", "姓名", "身份证号", "人员类别", "入党时间", "转正时间", "所在支部"})
	for i := 0; i < n; i++ {
		birth := fmt.Sprintf("19%02d%02d%02d", 50+i%35, 1+i%12, 1+i%28)
		row := []any{i + 1, "测试" + string(rune('甲'+i%10)) + string(rune('子'+i/10%12)), validID(birth, fmt.Sprintf("%03d", i%1000)),
			"正式党员", "2010-07-01", "2011-07-01", "第一党支部"}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow(sheet, cell, &row)
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportJobShowsProgressAndOutcome(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		c := w.login(t, "branch1")
		ctx := context.Background()

		// A job half way shows its progress bar; one that stopped moving
		// (its instance went away) says so instead of spinning for ever.
		job, err := w.st.StartImportJob(ctx, w.users["branch1"].ID, "大文件.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.st.ImportProgress(ctx, job.ID, 30, 100); err != nil {
			t.Fatal(err)
		}
		res := c.get("/imports/" + itoa(job.ID))
		if !strings.Contains(res.body, `<progress id="import-progress" max="100" value="30">`) || !strings.Contains(res.body, "正在逐行校验") {
			t.Fatalf("running job page: %s", res.body)
		}
		w.clock.Advance(3 * time.Minute)
		if res := c.get("/imports/" + itoa(job.ID)); !strings.Contains(res.body, "导入未能完成") || strings.Contains(res.body, `id="import-progress"`) {
			t.Fatalf("stale job page: %s", res.body)
		}

		// A real file of 1,500 rows: progress is recorded to the end and all are imported.
		res = c.upload("/people/import", "roster.xlsx", rosterFile(t, 1500))
		if res.status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.status, res.body)
		}
		page := waitImport(t, c, res.header.Get("Location"))
		if page.status != http.StatusOK || !strings.Contains(page.body, "已导入 1500 人") {
			t.Fatalf("job outcome: %d %s", page.status, page.body)
		}
		id := int64(0)
		fmt.Sscanf(strings.TrimPrefix(res.header.Get("Location"), "/imports/"), "%d", &id)
		done, err := w.st.ImportJobOf(ctx, w.users["branch1"].ID, id)
		if err != nil || done.Status != "done" || done.Total != 3000 || done.Done != done.Total {
			t.Fatalf("job record: %+v %v", done, err)
		}
		if n, _ := w.st.People(ctx, w.users["branch1"].Scope(), store.PersonFilter{Limit: 1}); n.Total != 1501 {
			t.Fatalf("branch 1 holds %d people after the import", n.Total)
		}
	})
}
