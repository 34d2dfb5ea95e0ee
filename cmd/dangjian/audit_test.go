package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditCommands: the archive command refuses records inside the
// retention period in Chinese, needs a key kept outside the database, and a
// file not made by it does not verify.
func TestAuditCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DANGJIAN_DATA_DIR", dir)
	t.Setenv("DATABASE_URL", "")
	ctx := context.Background()
	var out strings.Builder
	if err := run(ctx, []string{"migrate"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(t.TempDir(), "a.jsonl")
	err := run(ctx, []string{"audit", "archive", "--before", "2026-01-01", "--out", out2}, nil, &out)
	if err == nil || !strings.Contains(err.Error(), "--audit-key-file") {
		t.Fatalf("archive without a key: %v", err)
	}
	keyFile := filepath.Join(t.TempDir(), "audit.key")
	os.WriteFile(keyFile, []byte("00112233"), 0o600)
	t.Setenv("DANGJIAN_AUDIT_KEY_FILE", keyFile)
	if err := run(ctx, []string{"audit", "verify", "--file", out2}, nil, &out); err == nil || !strings.Contains(err.Error(), "64 hex digits") {
		t.Fatalf("a short key: %v", err)
	}
	os.WriteFile(keyFile, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	tomorrow := "2099-01-01"
	if err := run(ctx, []string{"audit", "archive", "--before", tomorrow, "--out", out2}, nil, &out); err == nil || !strings.Contains(err.Error(), "保存期") {
		t.Fatalf("archive inside the retention period: %v", err)
	}
	if _, err := os.Stat(out2); err == nil {
		t.Fatal("a refused archive left a file behind")
	}
	os.WriteFile(out2, []byte(`{"format":"dangjian-audit-archive/1","records":0}`+"\n"+`{"hmac_sm3":"00"}`+"\n"), 0o600)
	if err := run(ctx, []string{"audit", "verify", "--file", out2}, nil, &out); err == nil || !strings.Contains(err.Error(), "HMAC-SM3") {
		t.Fatalf("a forged archive verified: %v", err)
	}
}
