package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestGenFillsAnEmptyDatabaseOnce: `dangjian gen` writes a small province
// and says what it wrote; run again on the same database it refuses,
// leaving the first province alone.
func TestGenFillsAnEmptyDatabaseOnce(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", "")
	args := []string{"gen", "--people", "100", "--years", "1", "--seed", "5", "--today", "2026-06-30", "--quiet", "--data-dir", dir}
	var out bytes.Buffer
	if err := run(context.Background(), args, strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "(5 branches), 100 people") || !strings.Contains(s, "sqlite") {
		t.Errorf("gen said %q", s)
	}
	err := run(context.Background(), args, strings.NewReader(""), &out)
	if err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("a second gen on the same database: %v, want refused", err)
	}
}
