package peopleweb_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
	"dangjian/internal/xlsx/xlsxtest"
)

// bigRoster is an .xlsx of n valid members of 第一党支部, written directly
// (a sheet of inline strings), so a test can have a large file quickly.
func bigRoster(n int) []byte {
	return xlsxtest.OneSheet(xlsxtest.Worksheet(func(w io.Writer) {
		cell := func(v string) string { return `<c t="inlineStr"><is><t>` + v + `</t></is></c>` }
		io.WriteString(w, `<sheetData><row>`+cell("姓名")+cell("身份证号")+cell("人员类别")+cell("入党时间")+cell("转正时间")+cell("所在支部")+`</row>`)
		for i := range n {
			birth := fmt.Sprintf("19%02d%02d%02d", 50+i%40, 1+i%12, 1+i%28) // repeats every 840 rows, each time with another sequence
			io.WriteString(w, `<row>`+cell("测试"+string(rune('甲'+i%10)))+cell(webtest.ValidID(birth, fmt.Sprintf("%03d", i/840)))+
				cell("正式党员")+cell("2010-07-01")+cell("2011-07-01")+cell("第一党支部")+`</row>`)
		}
		io.WriteString(w, `</sheetData>`)
	}))
}

// A file uploaded from the page kept being imported after SIGTERM, so the
// server did not stop. Now the background import stops when the server
// drains past its deadline: nothing of the file is written, the job goes
// back to the queue, and the next server to start runs it whole.
func TestImportFromThePageStopsWhenTheServerDrains(t *testing.T) {
	data := bigRoster(20_000)
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "branch1")
		ctx := context.Background()
		res := c.Upload("/people/import", "大名单.xlsx", data)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		job := res.Header.Get("Location")
		var id int64
		fmt.Sscanf(strings.TrimPrefix(job, "/imports/"), "%d", &id)
		// Wait until the job is under way, as the page shows it.
		for {
			j, err := w.Store.JobOf(ctx, w.Users["branch1"].ID, id)
			if err != nil {
				t.Fatal(err)
			}
			if j.Status == "done" || j.Status == "failed" {
				t.Fatalf("the job ended before the server drained: %+v", j)
			}
			if j.Status == "running" { // claimed and under way
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		expired, cancel := context.WithCancel(ctx)
		cancel()
		w.Server.Drain(expired) // returns once the job has stopped
		j, err := w.Store.JobOf(ctx, w.Users["branch1"].ID, id)
		if err != nil || j.Status != "pending" || j.Error == "" {
			t.Fatalf("job after the drain: %+v %v, want it back in the queue with the reason", j, err)
		}
		if n, _ := w.Store.People(ctx, w.Users["branch1"].Scope(), store.PersonFilter{Limit: 1}); n.Total != 1 {
			t.Fatalf("branch 1 holds %d people after a stopped import", n.Total)
		}
		if page := c.Get(job); !strings.Contains(page.Body, "排队等待导入") {
			t.Fatalf("job page: %s", page.Body)
		}
		// The next server on this database runs it from the start, whole.
		next, err := web.New(w.Store, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), app.Areas()...)
		if err != nil {
			t.Fatal(err)
		}
		if err := next.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		defer next.Drain(ctx)
		for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
			j, err := w.Store.JobOf(ctx, w.Users["branch1"].ID, id)
			if err != nil {
				t.Fatal(err)
			}
			if j.Status == "done" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the job was not run again: %+v", j)
			}
		}
		if n, _ := w.Store.People(ctx, w.Users["branch1"].Scope(), store.PersonFilter{Limit: 1}); n.Total != 20_001 {
			t.Fatalf("branch 1 holds %d people after the import ran again", n.Total)
		}
	})
}

// The file of that report, 190 MB of empty rows without row numbers in a
// 487 KB upload, ran for 13 minutes: the server, asked to stop, waited for
// it. Now the server stops at once, the job cut short or already refused.
func TestServerStopsAfterAnAttackFileIsUploaded(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "branch1")
	res := c.Upload("/people/import", "空行.xlsx", xlsxtest.RowlessRows(30_000_000))
	if res.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	w.Server.Drain(expired)
	var id int64
	fmt.Sscanf(strings.TrimPrefix(res.Header.Get("Location"), "/imports/"), "%d", &id)
	if j, err := w.Store.JobOf(context.Background(), w.Users["branch1"].ID, id); err != nil || j.Status == "running" {
		t.Fatalf("job after the drain: %+v %v", j, err)
	}
}
