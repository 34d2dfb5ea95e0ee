package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
)

// dumpTables reads every table of a SQLite file, row by row in rowid order
// (primary key order for a table WITHOUT ROWID), as text: two databases
// with equal dumps hold the same records.
func dumpTables(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for names.Next() {
		var n string
		names.Scan(&n)
		tables = append(tables, n)
	}
	names.Close()
	out := map[string]string{}
	for _, tb := range tables {
		order := "rowid"
		var pk string
		if err := db.QueryRow(`SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk)
			WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%WITHOUT ROWID%')`, tb, tb).Scan(&pk); err == nil && pk != "" {
			order = pk
		}
		rows, err := db.Query(`SELECT * FROM "` + tb + `" ORDER BY ` + order)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var sb strings.Builder
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&sb, vals...)
		}
		rows.Close()
		out[tb] = sb.String()
	}
	if len(out) < 10 {
		t.Fatalf("only %d tables read", len(out))
	}
	return out
}

// TestBackupRestoresEveryTable: a backup taken while the service writes
// restores, into a fresh data directory, exactly the records there were when
// it was taken — every table compared row by row — and nothing written after.
func TestBackupRestoresEveryTable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, store.Config{DataDir: dir})
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
	for i := range 40 {
		p := newPerson(tr.b1.ID, fmt.Sprintf("党员%02d", i), "19850312", fmt.Sprintf("%03d", i))
		if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
			t.Fatal(err)
		}
	}
	// Writes go on while backups are taken: none of them may fail.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			p := newPerson(tr.b2.ID, fmt.Sprintf("并发%03d", i), "19900505", fmt.Sprintf("%03d", i%1000))
			if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
				t.Errorf("a write during the backup failed: %v", err)
				return
			}
		}
	})
	backups := filepath.Join(t.TempDir(), "backups")
	busy, err := s.Backup(ctx, filepath.Join(backups, "busy.db"))
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup while writing: %v", err)
	}
	if busy.Rows["people"] < 40 {
		t.Fatalf("the busy backup holds %d people", busy.Rows["people"])
	}

	// A quiet backup, then more writes, then a restore into a new directory.
	live := filepath.Join(dir, "dangjian.db")
	want := dumpTables(t, live) // what the live database holds when the backup is taken
	path := filepath.Join(backups, store.BackupName(s.Now()))
	m, err := s.Backup(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	late := newPerson(tr.b1.ID, "备份之后", "19700101", "999")
	if err := s.CreatePerson(ctx, admin, auth.Everything, &late); err != nil {
		t.Fatal(err)
	}
	if got := dumpTables(t, live); got["people"] == want["people"] {
		t.Fatal("the write after the backup did not reach the live database")
	}
	fresh := t.TempDir()
	if _, err := store.Restore(ctx, fresh, path, s.Now()); err != nil {
		t.Fatal(err)
	}
	got := dumpTables(t, filepath.Join(fresh, "dangjian.db"))
	for tb, rows := range want {
		if got[tb] != rows {
			t.Errorf("table %s differs after the restore", tb)
		}
	}
	if len(got) != len(want) || m.Rows["people"] != strings.Count(want["people"], "\n") {
		t.Fatalf("restored %d tables of %d; manifest says %d people", len(got), len(want), m.Rows["people"])
	}
	// The restored database opens and serves.
	r, err := store.Open(ctx, store.Config{DataDir: fresh})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	page, err := r.People(ctx, auth.Everything, store.PersonFilter{Query: "备份之后"})
	if err != nil || page.Total != 0 {
		t.Fatalf("restored database: %v, %d people written after the backup", err, page.Total)
	}
}

// TestRestoreRefusesADamagedBackup: a backup changed after it was taken is
// refused, and the database in place is left alone.
func TestRestoreRefusesADamagedBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	buildTree(t, s)
	path := filepath.Join(t.TempDir(), "b.db")
	if _, err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, _ := os.OpenFile(path, os.O_WRONLY, 0)
	f.WriteAt([]byte("garbage!"), 4096*3)
	f.Close()
	before, _ := os.ReadFile(filepath.Join(dir, "dangjian.db"))
	if _, err := store.Restore(ctx, dir, path, s.Now()); err == nil {
		t.Fatal("a damaged backup was restored")
	}
	after, _ := os.ReadFile(filepath.Join(dir, "dangjian.db"))
	if string(before) != string(after) {
		t.Fatal("a refused restore changed the database")
	}
}

// TestRestoreRefusedWhileTheDatabaseIsOpen: a restore under a running
// service would pull the file from under it; it is refused until every
// process has let go.
func TestRestoreRefusedWhileTheDatabaseIsOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.db")
	if _, err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Restore(ctx, dir, path, s.Now()); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("restore under an open database: %v, want ErrInUse", err)
	}
	s.Close()
	if _, err := store.Restore(ctx, dir, path, s.Now()); err != nil {
		t.Fatalf("restore once closed: %v", err)
	}
}
