package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/store"
)

// TestKeysGenerateAndRotate: a generated key file is one the service
// accepts; --next adds the next data key; rotate reports what it sealed.
func TestKeysGenerateAndRotate(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DANGJIAN_DATA_DIR", dir)
	t.Setenv("DATABASE_URL", "")
	ctx := context.Background()
	var out strings.Builder
	if err := run(ctx, []string{"keys", "generate"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "data.keys")
	os.WriteFile(file, []byte(out.String()), 0o600)
	if _, err := store.ParseKeys(out.String()); err != nil {
		t.Fatalf("generated keys: %v\n%s", err, out.String())
	}
	t.Setenv("DANGJIAN_DATA_KEY_FILE", file)
	out.Reset()
	if err := run(ctx, []string{"keys", "generate", "--next"}, nil, &out); err != nil || !strings.HasPrefix(out.String(), "key.2=") {
		t.Fatalf("--next: %q %v", out.String(), err)
	}
	f, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(out.String())
	f.Close()
	if err := run(ctx, []string{"migrate"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"keys", "rotate"}, nil, &out); err != nil || !strings.Contains(out.String(), "第 2 号密钥") {
		t.Fatalf("rotate: %q %v", out.String(), err)
	}
	os.WriteFile(file, []byte("index=00\n"), 0o600)
	if err := run(ctx, []string{"keys", "rotate"}, nil, &out); err == nil {
		t.Fatal("a broken key file was accepted")
	}
}
