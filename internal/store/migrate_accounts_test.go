package store_test

import (
	"context"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestMigrationSettlesOldDuplicateAccounts: accounts made before the
// uniqueness rules that break them (two names differing only in case, two
// accounts of one person) are settled by migration 00004 so its unique
// indexes can be built: the later name is renamed, the later account of the
// person unlinked and disabled, each with an audit record; chosen passwords
// enter the history.
func TestMigrationSettlesOldDuplicateAccounts(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		cfg := store.Config{DataDir: t.TempDir()}
		if d == store.Postgres {
			cfg = store.Config{DatabaseURL: storetest.PostgresDatabase(t)}
		}
		s, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.MigrateToForTest(ctx, 3); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
		hash, _ := auth.HashPassword("Kaifa#2026old")
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"INSERT INTO orgs (id, kind, name, path, created_at) VALUES (1, 'branch', '第一党支部', '/1/', ?)", []any{now}},
			{`INSERT INTO people (id, org_id, org_path, name, name_initials, name_sort, sex, birth_date, status, created_at, updated_at)
				VALUES (1, 1, '/1/', '张伟', 'zw', 'zhang wei', 'male', '1985-03-12', 'full', ?, ?)`, []any{now, now}},
			{`INSERT INTO users (id, username, role, org_id, person_id, password_hash, password_changed_at, must_change, created_at) VALUES
				(1, 'Committee', 'committee_admin', 1, NULL, ?, ?, FALSE, ?),
				(2, 'committee', 'committee_admin', 1, NULL, ?, ?, FALSE, ?),
				(3, 'zw1', 'member', 1, 1, ?, ?, FALSE, ?),
				(4, 'zw2', 'member', 1, 1, ?, ?, TRUE, ?)`, []any{hash, now, now, hash, now, now, hash, now, now, hash, now, now}},
		} {
			if err := s.ExecForTest(ctx, q.sql, q.args...); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatalf("migrate over duplicates: %v", err)
		}
		for id, want := range map[int64]string{1: "Committee", 2: "committee-2", 3: "zw1", 4: "zw2"} {
			u, err := s.User(ctx, id)
			if err != nil || u.Username != want || u.Pending() {
				t.Fatalf("account %d: %+v %v, want %s, active", id, u, err, want)
			}
		}
		if u, _ := s.User(ctx, 3); u.PersonID != 1 || u.Disabled {
			t.Errorf("the person's first account: %+v", u)
		}
		if u, _ := s.User(ctx, 4); u.PersonID != 0 || !u.Disabled || u.Scope().Includes("/1/") {
			t.Errorf("the person's second account: %+v", u)
		}
		entries, _, err := s.AuditEntries(ctx, audit.Filter{Username: "migration"})
		if err != nil || len(entries) != 2 {
			t.Fatalf("migration's audit records: %+v %v", entries, err)
		}
		for _, e := range entries {
			if e.At.IsZero() || (e.Action == "user.rename") != (e.ObjectID == "2") || (e.Action == "user.disable") != (e.ObjectID == "4") {
				t.Errorf("audit record %+v", e)
			}
		}
		// The chosen passwords are history now: the owner of account 1 cannot choose it again.
		if err := s.ChoosePassword(ctx, audit.Actor{UserID: 0, Username: "console"}, 1, "Kaifa#2026old", auth.DefaultPasswordPolicy); conflictKey(err) != "password:password.same" {
			t.Errorf("the current password again: %v", err)
		}
		if err := s.ChoosePassword(ctx, audit.Actor{UserID: 0, Username: "console"}, 1, "Kaifa#2026new", auth.DefaultPasswordPolicy); err != nil {
			t.Fatal(err)
		}
		if err := s.ChoosePassword(ctx, audit.Actor{UserID: 0, Username: "console"}, 1, "Kaifa#2026old", auth.DefaultPasswordPolicy); conflictKey(err) != "password:password.reused" {
			t.Errorf("the password from before the migration: %v", err)
		}
	})
}
