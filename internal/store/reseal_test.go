package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestTurningEncryptionOnAndRotatingTheKey: an installation with plain ID
// numbers turns encryption on — the start seals what is stored, reads give
// the same numbers, duplicates are still refused — then adds a key and
// rotates: every value is sealed under the new key, and the database never
// holds a number in the clear.
func TestTurningEncryptionOnAndRotatingTheKey(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		cfg := store.Config{}
		driver, dsn := "sqlite", ""
		if d == store.Postgres {
			cfg.DatabaseURL = storetest.PostgresDatabase(t)
			driver, dsn = "pgx", cfg.DatabaseURL
		} else {
			cfg.DataDir = t.TempDir()
			dsn = filepath.Join(cfg.DataDir, "dangjian.db")
		}
		open := func(keys string) *store.Store {
			t.Helper()
			c := cfg
			if keys != "" {
				k, err := store.ParseKeys(keys)
				if err != nil {
					t.Fatal(err)
				}
				c.Keys = &k
			}
			s, err := store.Open(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			return s
		}
		raw := func() []string {
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			rows, err := db.Query("SELECT id_number || '|' || phone || '|' || COALESCE(id_number_idx, '') FROM people ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var s string
				rows.Scan(&s)
				out = append(out, s)
			}
			return out
		}
		plain := open("")
		if err := plain.SeedDicts(ctx); err != nil {
			t.Fatal(err)
		}
		tr := buildTree(t, plain)
		var ids []string
		for i := range 3 {
			p := newPerson(tr.b1.ID, fmt.Sprintf("党员%d", i), "19850312", fmt.Sprintf("%03d", i))
			if err := plain.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.IDNumber)
		}
		plain.Close()
		if !strings.HasPrefix(raw()[0], ids[0]) {
			t.Fatalf("before encryption the number is stored as it is: %q", raw()[0])
		}

		k1 := "index=" + strings.Repeat("ab", 32) + "\nkey.1=" + strings.Repeat("01", 16) + "\n"
		enc := open(k1)
		if n, err := enc.Reseal(ctx, admin, true, nil); err != nil || n != 3 {
			t.Fatalf("sealing at the start: %d %v", n, err)
		}
		for _, r := range raw() {
			if !strings.HasPrefix(r, "sm4:1:") || strings.Contains(r, "370102") || strings.Contains(r, "13800138000") {
				t.Fatalf("stored after sealing: %q", r)
			}
		}
		page, err := enc.People(ctx, auth.Everything, store.PersonFilter{Limit: 10})
		if err != nil || page.Items[0].IDNumber != ids[0] || page.Items[0].Phone != "13800138000" {
			t.Fatalf("read back: %+v %v", page.Items, err)
		}
		dup := newPerson(tr.b2.ID, "重复", "19850312", "000")
		var c *errs.Conflict
		if err := enc.CreatePerson(ctx, admin, auth.Everything, &dup); !errors.As(err, &c) || c.Field != "id_number" {
			t.Fatalf("a duplicate ID number under encryption: %v", err)
		}
		enc.Close()

		rotated := open(k1 + "key.2=" + strings.Repeat("02", 16) + "\n")
		if n, err := rotated.Reseal(ctx, admin, false, nil); err != nil || n != 3 {
			t.Fatalf("rotation: %d %v", n, err)
		}
		for _, r := range raw() {
			if !strings.HasPrefix(r, "sm4:2:") {
				t.Fatalf("stored after rotation: %q", r)
			}
		}
		if again, err := rotated.Reseal(ctx, admin, false, nil); err != nil || again != 0 {
			t.Fatalf("a second rotation changed %d (%v)", again, err)
		}
		rotated.Close()
	})
}

// TestTamperedCiphertextIsReportedNotShown: a stored ID number changed in
// the database (one character of its ciphertext) makes reading that person
// fail with ErrTampered — never a wrong number shown as if it were right.
func TestTamperedCiphertextIsReportedNotShown(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	k, err := store.ParseKeys("index=" + strings.Repeat("ab", 32) + "\nkey.1=" + strings.Repeat("01", 16))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, store.Config{DataDir: dir, Keys: &k})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s.SeedDicts(ctx)
	tr := buildTree(t, s)
	p := newPerson(tr.b1.ID, "张伟", "19850312", "111")
	if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
		t.Fatal(err)
	}
	// Someone with the database's password flips one character of the ciphertext.
	if err := s.ExecForTest(ctx, "UPDATE people SET id_number = substr(id_number, 1, length(id_number) - 2) || "+
		"CASE WHEN substr(id_number, length(id_number) - 1, 1) = 'A' THEN 'B' ELSE 'A' END || substr(id_number, length(id_number))"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Person(ctx, auth.Everything, p.ID); !errors.Is(err, store.ErrTampered) {
		t.Fatalf("reading a tampered record: %v, want ErrTampered", err)
	}
}
