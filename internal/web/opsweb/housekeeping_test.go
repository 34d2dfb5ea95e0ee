package opsweb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestDailyClearingRemovesOldRunsAndSaysSo: the clearing is queued at
// start and runs every day; once runs are older than 90 days it removes
// them; the 定时任务 page says what a clearing removed.
func TestDailyClearingRemovesOldRunsAndSaysSo(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	job := func(key string) (*store.Job, error) { return w.Store.JobByKey(ctx, key) }
	// The world's clock reads 2026-06-30 09:00 UTC: today's clearing is
	// due at once.
	first := "housekeeping@2026-06-30T00:00:00Z"
	waitFor(t, "the first clearing done", func() bool { j, err := job(first); return err == nil && j.Status == "done" })
	admin := w.Login(t, "sysadmin")
	if page := admin.Get("/admin/jobs"); !strings.Contains(page.Body, "清理过期记录") || !strings.Contains(page.Body, "清理任务记录0条、已读通知0条") {
		t.Fatalf("the jobs page does not show the first clearing:\n%s", page.Body)
	}
	// 91 days later the first day's runs are old: the next clearing
	// (2026-07-01's, waiting all along) removes them.
	w.Clock.Advance(91 * 24 * time.Hour)
	w.Server.WakeJobs()
	next := "housekeeping@2026-07-01T00:00:00Z"
	waitFor(t, "the next clearing done", func() bool { j, err := job(next); return err == nil && j.Status == "done" })
	if _, err := job(first); err == nil {
		t.Fatalf("the first clearing's run, 91 days old, is still kept")
	}
	if j, err := job("housekeeping@2026-09-30T00:00:00Z"); err != nil || j.Status != "pending" {
		t.Fatalf("the clearing after: %+v (%v), want pending", j, err)
	}
	j, _ := job(next)
	var removed store.Pruned
	if err := json.Unmarshal([]byte(j.Result), &removed); err != nil || removed.Jobs == 0 {
		t.Fatalf("the clearing's outcome: %q (%v), want the old runs counted", j.Result, err)
	}
}
