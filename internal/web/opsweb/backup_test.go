package opsweb_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestScheduledBackupRunsAtTwoAndSchedulesTheNext: the first backup is due at
// the next 02:00 China time; when the clock passes it the backup is written
// and the one after is queued; the newest copies are kept.
func TestScheduledBackupRunsAtTwoAndSchedulesTheNext(t *testing.T) {
	dir := t.TempDir()
	w := webtest.NewWorldWith(t, store.SQLite, func(c *config.Config) { c.BackupDir, c.BackupKeep = dir, 2 })
	ctx := context.Background()
	job := func(key string) *store.Job {
		t.Helper()
		j, err := w.Store.JobByKey(ctx, key)
		if err != nil {
			t.Fatalf("job %s: %v", key, err)
		}
		return j
	}
	// The world's clock reads 2026-06-30 17:00 in China: the next 02:00 is
	// 2026-07-01 02:00 (18:00 UTC).
	first := "backup@2026-06-30T18:00:00Z"
	if j := job(first); j.Status != "pending" {
		t.Fatalf("first backup is %s", j.Status)
	}
	for day := range 3 {
		w.Clock.Advance(24 * time.Hour)
		w.Server.WakeJobs()
		key := "backup@2026-0" + []string{"6-30", "7-01", "7-02"}[day] + "T18:00:00Z"
		waitFor(t, key+" done", func() bool { return job(key).Status == "done" })
	}
	if j := job("backup@2026-07-03T18:00:00Z"); j.Status != "pending" {
		t.Fatalf("the next backup is %s, want pending", j.Status)
	}
	files, _ := store.Backups(dir)
	if len(files) != 2 {
		t.Fatalf("%d backups kept, want the newest 2: %v", len(files), files)
	}
	for _, f := range files {
		if _, err := os.Stat(f + ".json"); err != nil {
			t.Fatalf("backup %s has no manifest", f)
		}
	}
}

// TestFailedBackupWarnsTheSystemAdministrator: the 工作台 of the system
// administrator says so when the last backup failed; nobody else's does.
func TestFailedBackupWarnsTheSystemAdministrator(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	if _, err := w.Store.EnqueueJob(ctx, &store.Job{Kind: "backup", DedupeKey: "failed-one", DueAt: w.Clock.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// Another instance (by its name) took it and it failed.
	j, err := w.Store.ClaimJob(ctx, []string{"backup"}, "other", time.Minute)
	for err == nil && j.DedupeKey != "failed-one" {
		j, err = w.Store.ClaimJob(ctx, []string{"backup"}, "other", time.Minute)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Store.FinishJob(ctx, j.ID, "other", true, "", "磁盘已满"); err != nil {
		t.Fatal(err)
	}
	if res := w.Login(t, "sysadmin").Get("/"); res.Status != http.StatusOK || !strings.Contains(res.Body, "最近一次定时备份失败") || !strings.Contains(res.Body, "磁盘已满") {
		t.Fatalf("system administrator's 工作台: %d, no warning", res.Status)
	}
	if res := w.Login(t, "committee").Get("/"); strings.Contains(res.Body, "定时备份") {
		t.Fatal("the committee's 工作台 warns about backups")
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}
