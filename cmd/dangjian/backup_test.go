package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBackupWhileServingThenRestore runs the operator's procedure: a backup
// of the running service, a restore refused while it runs, and accepted once
// it has stopped; the restored data directory serves what was backed up.
func TestBackupWhileServingThenRestore(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DANGJIAN_DATA_DIR", dir)
	t.Setenv("DATABASE_URL", "")
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), w) }()
	lines := bufio.NewScanner(out)
	for lines.Scan() && !strings.Contains(lines.Text(), "setup?token=") {
	}
	go io.Copy(io.Discard, out)

	var sb strings.Builder
	if err := run(context.Background(), []string{"user", "create", "--username", "ops1", "--role", "security_admin"}, strings.NewReader("Kaifa#2026ops\n"), &sb); err != nil {
		t.Fatal(err)
	}
	backups := filepath.Join(t.TempDir(), "bk")
	if err := run(context.Background(), []string{"backup", "--out", backups}, nil, &sb); err != nil {
		t.Fatalf("backup while serving: %v", err)
	}
	file := regexp.MustCompile(`dangjian-\d{8}-\d{6}\.db`).FindString(sb.String())
	if file == "" {
		t.Fatalf("backup printed no file name: %s", sb.String())
	}
	if err := run(context.Background(), []string{"user", "create", "--username", "ops2", "--role", "security_admin"}, strings.NewReader("Kaifa#2026ops\n"), &sb); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"restore", "--from", filepath.Join(backups, file)}, nil, &sb)
	if err == nil || !strings.Contains(err.Error(), "请先停止服务") {
		t.Fatalf("restore under the running service: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sb.Reset()
	if err := run(context.Background(), []string{"restore", "--from", filepath.Join(backups, file)}, nil, &sb); err != nil {
		t.Fatalf("restore once stopped: %v", err)
	}
	if !strings.Contains(sb.String(), "原数据库保留为") {
		t.Fatalf("restore did not say where the replaced database is: %s", sb.String())
	}
	// ops1 was in the backup; ops2 came after it.
	if err := run(context.Background(), []string{"user", "unlock", "--username", "ops1"}, nil, &sb); err != nil {
		t.Fatalf("ops1 after the restore: %v", err)
	}
	if err := run(context.Background(), []string{"user", "unlock", "--username", "ops2"}, nil, &sb); err == nil {
		t.Fatal("ops2, created after the backup, survived the restore")
	}
	if entries, _ := os.ReadDir(dir); len(entries) == 0 {
		t.Fatal("empty data directory")
	}
}
