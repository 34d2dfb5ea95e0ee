package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestAuditRetention: records younger than 184 days cannot leave the
// database by any route; older ones leave only after a signed archive of
// them was made and registered, and the archive verifies with the key that
// signed it and with no other.
func TestAuditRetention(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		clock.Advance(-18 * 30 * 24 * time.Hour) // a year and a half ago
		s := storetest.Open(t, d, clock.Now)
		buildTree(t, s) // five old records
		old, oldTotal, err := s.AuditEntries(ctx, audit.Filter{Limit: 1000})
		if err != nil || oldTotal < 5 {
			t.Fatalf("old records: %d %v", oldTotal, err)
		}
		clock.Advance(time.Since(clock.Now())) // today
		if err := s.LogEvent(ctx, admin, store.Change{Action: "org.update", ObjectType: "org"}); err != nil {
			t.Fatal(err)
		}
		key := bytes.Repeat([]byte{7}, 32)

		// Nothing old leaves without an archive, even by hand.
		if err := s.DeleteAuditUpToForTest(ctx, old[0].ID); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("old records deleted without an archive: %v", err)
		}
		// An archive inside the retention period is refused.
		var buf bytes.Buffer
		if _, err := s.ArchiveAudit(ctx, admin, clock.Now().Add(-30*24*time.Hour), 184*24*time.Hour, key, &buf); !errors.Is(err, store.ErrInsideRetention) {
			t.Fatalf("archive of last month: %v", err)
		}
		path := filepath.Join(t.TempDir(), "audit-2025.jsonl")
		f, _ := os.Create(path)
		h, err := s.ArchiveAudit(ctx, admin, clock.Now().Add(-365*24*time.Hour), 184*24*time.Hour, key, f)
		f.Close()
		if err != nil || h.Records != oldTotal || h.UpToID != old[0].ID {
			t.Fatalf("archive: %+v %v (want %d records up to %d)", h, err, oldTotal, old[0].ID)
		}
		if _, _, err := store.VerifyArchive(path, key); err != nil {
			t.Fatalf("verify: %v", err)
		}
		if _, _, err := store.VerifyArchive(path, bytes.Repeat([]byte{8}, 32)); !errors.Is(err, store.ErrBadSignature) {
			t.Fatalf("verify with another key: %v", err)
		}
		// A changed archive neither verifies nor prunes.
		forged := filepath.Join(t.TempDir(), "forged.jsonl")
		b, _ := os.ReadFile(path)
		os.WriteFile(forged, bytes.Replace(b, []byte("第一党支部"), []byte("第九党支部"), 1), 0o600)
		if _, err := s.PruneAudit(ctx, admin, forged, 184*24*time.Hour, key); !errors.Is(err, store.ErrBadSignature) {
			t.Fatalf("prune with a forged archive: %v", err)
		}
		// The archive removes exactly its records; today's stays.
		n, err := s.PruneAudit(ctx, admin, path, 184*24*time.Hour, key)
		if err != nil || n != int64(oldTotal) {
			t.Fatalf("prune: %d %v, want %d", n, err, oldTotal)
		}
		left, _, err := s.AuditEntries(ctx, audit.Filter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range left {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "audit.prune,audit.archive,org.update" {
			t.Fatalf("left in the log: %v", actions)
		}
		if upd, del := s.TamperAuditForTest(ctx); upd == nil || del == nil {
			t.Fatalf("young records could be changed after a prune: %v %v", upd, del)
		}
		if missing, err := s.AuditProtected(ctx); err != nil || len(missing) > 0 {
			t.Fatalf("protections missing: %v %v", missing, err)
		}
	})
}
