package security_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/store"
)

// SECURITY.md 12: online backup and restore are commands of the binary, and a
// test restores a backup and compares. Deeper: internal/store/backup_test.go
// (TestBackupRestoresEveryTable compares every table; a damaged backup and a
// restore onto an open database are refused), internal/store/backup_pg_test.go
// (pg_dump and restore into a new PostgreSQL database),
// cmd/dangjian/backup_test.go (dangjian backup while serving, then dangjian
// restore), internal/web/opsweb/backup_test.go (the scheduled backup job).
//
// The cheap check: a backup taken while the server answers writes holds
// every acknowledged one, and restored into another data directory reads
// back the same people.
func TestLine12BackupWhileServingRestoresTheSame(t *testing.T) {
	a, _, rootID, call := committeeApp(t, func(*config.Config) {})
	ctx := context.Background()
	for _, seq := range []string{"301", "302", "303"} {
		if s, b := call("POST", "/api/v1/people", person(rootID, "党员"+seq, seq)); s != http.StatusCreated {
			t.Fatalf("create: %d %s", s, b)
		}
	}
	// Writes keep coming while the backup runs.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, seq := range []string{"304", "305", "306"} {
			call("POST", "/api/v1/people", person(rootID, "党员"+seq, seq))
		}
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	m, err := a.Store().Backup(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	<-done
	if m.Rows["people"] < 3 || m.Rows["audit_log"] < m.Rows["people"] || m.SHA256 == "" {
		t.Fatalf("manifest %+v", m)
	}
	if _, err := store.Inspect(ctx, path); err != nil {
		t.Fatalf("the backup does not pass its own check: %v", err)
	}
	live, err := a.Store().People(ctx, auth.Everything, store.PersonFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	if _, err := store.Restore(ctx, dir, path, time.Now()); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	back, err := restored.People(ctx, auth.Everything, store.PersonFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if back.Total != m.Rows["people"] {
		t.Fatalf("restored %d people, the manifest says %d", back.Total, m.Rows["people"])
	}
	byID := map[int64]string{}
	for _, p := range live.Items {
		byID[p.ID] = p.Name + p.IDNumber
	}
	for _, p := range back.Items {
		if byID[p.ID] != p.Name+p.IDNumber {
			t.Errorf("restored person %d: %s%s, live %s", p.ID, p.Name, p.IDNumber, byID[p.ID])
		}
	}
	// A damaged copy is refused, not put in place.
	b, _ := os.ReadFile(path)
	bad := filepath.Join(t.TempDir(), "damaged.db")
	os.WriteFile(bad, append(bytes.Clone(b[:len(b)/2]), make([]byte, len(b)-len(b)/2)...), 0o600)
	if _, err := store.Restore(ctx, t.TempDir(), bad, time.Now()); err == nil {
		t.Fatal("a damaged backup was restored")
	}
}
