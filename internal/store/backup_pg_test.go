package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestPostgresDumpRestoresEveryTable follows the README's procedure for
// PostgreSQL: pg_dump of a live database, pg_restore into a new one, and
// every table compared row by row.
func TestPostgresDumpRestoresEveryTable(t *testing.T) {
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			storetest.Missing(t, tool+" is not installed (apt-get install -y postgresql-client)")
		}
	}
	ctx := context.Background()
	src := storetest.PostgresDatabase(t)
	s, err := store.Open(ctx, store.Config{DatabaseURL: src})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.SeedDicts(ctx); err != nil {
		t.Fatal(err)
	}
	tr := buildTree(t, s)
	for i := range 20 {
		p := newPerson(tr.b1.ID, fmt.Sprintf("党员%02d", i), "19850312", fmt.Sprintf("%03d", i))
		if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
			t.Fatal(err)
		}
	}
	dump := filepath.Join(t.TempDir(), "dangjian.dump")
	if out, err := exec.Command("pg_dump", "--format=custom", "--file="+dump, src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	dst := storetest.PostgresDatabase(t)
	if out, err := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+dst, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	want, got := pgTables(t, src), pgTables(t, dst)
	for tb, rows := range want {
		if got[tb] != rows {
			t.Errorf("table %s differs after pg_restore", tb)
		}
	}
	if len(got) != len(want) || !strings.Contains(want["people"], "党员19") {
		t.Fatalf("%d tables restored of %d", len(got), len(want))
	}
	// The restored database is a working one: the store opens it, and the
	// audit log is still append-only there.
	r, err := store.Open(ctx, store.Config{DatabaseURL: dst})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if upd, del := r.TamperAuditForTest(ctx); upd == nil || del == nil {
		t.Fatalf("the restored audit log can be changed: %v %v", upd, del)
	}
}

func pgTables(t *testing.T, url string) map[string]string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, tb := range tables {
		var text string
		// Every row as text, in a fixed order: equal text, equal records.
		if err := db.QueryRow(`SELECT COALESCE(string_agg(r::text, E'\n' ORDER BY r::text), '') FROM "` + tb + `" r`).Scan(&text); err != nil {
			t.Fatal(err)
		}
		out[tb] = text
	}
	return out
}
