package peopleweb_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func TestImportJobShowsProgressAndOutcome(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "branch1")
		ctx := context.Background()

		// A job another instance is running, half way: any instance's page
		// shows its progress, read from the job's row.
		job := &store.Job{Kind: "roster.import", UserID: w.Users["branch1"].ID, Label: "大文件.xlsx", DueAt: w.Clock.Now().Add(time.Hour)}
		if _, err := w.Store.EnqueueJob(ctx, job); err != nil {
			t.Fatal(err)
		}
		if res := c.Get("/imports/" + webtest.Itoa(job.ID)); !strings.Contains(res.Body, "排队等待导入") {
			t.Fatalf("waiting job page: %s", res.Body)
		}
		w.Clock.Advance(2 * time.Hour) // the job is due; the session ran out meanwhile
		c = w.Login(t, "branch1")
		if _, err := w.Store.ClaimJob(ctx, []string{"roster.import"}, "another-instance", time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := w.Store.RenewJob(ctx, job.ID, "another-instance", time.Hour, 30, 100); err != nil {
			t.Fatal(err)
		}
		res := c.Get("/imports/" + webtest.Itoa(job.ID))
		if !strings.Contains(res.Body, `<progress id="import-progress" max="100" value="30">`) || !strings.Contains(res.Body, "正在逐行校验") {
			t.Fatalf("running job page: %s", res.Body)
		}
		// Another user's job is not found.
		if res := w.Login(t, "committee").Get("/imports/" + webtest.Itoa(job.ID)); res.Status != http.StatusNotFound {
			t.Fatalf("another user's job: %d", res.Status)
		}

		// A real file of 1,500 rows: progress is recorded to the end and all are imported.
		res = c.Upload("/people/import", "roster.xlsx", webtest.RosterFile(t, 1500))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		page := waitImport(t, c, res.Header.Get("Location"))
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "已导入 1500 人") {
			t.Fatalf("job outcome: %d %s", page.Status, page.Body)
		}
		id := int64(0)
		fmt.Sscanf(strings.TrimPrefix(res.Header.Get("Location"), "/imports/"), "%d", &id)
		done, err := w.Store.JobOf(ctx, w.Users["branch1"].ID, id)
		if err != nil || done.Status != "done" || done.Total != 3000 || done.Done != done.Total {
			t.Fatalf("job record: %+v %v", done, err)
		}
		if n, _ := w.Store.People(ctx, w.Users["branch1"].Scope(), store.PersonFilter{Limit: 1}); n.Total != 1501 {
			t.Fatalf("branch 1 holds %d people after the import", n.Total)
		}
	})
}
