package store_test

import (
	"context"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// An installation upgraded to the unique sibling names and the index of
// dictionary terms keeps its data: twins from before are told apart (and the
// renaming is in their history), and existing aliases resolve at once.
func TestMigrationKeepsDataOfEarlierInstallations(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		cfg := store.Config{}
		if d == store.Postgres {
			cfg.DatabaseURL = storetest.PostgresDatabase(t)
		} else {
			cfg.DataDir = t.TempDir()
		}
		s, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.MigrateToForTest(ctx, 3); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, row := range []struct {
			q   string
			arg any
		}{
			{`INSERT INTO orgs (id, parent_id, kind, name, path, version, created_at) VALUES (1, NULL, 'committee', '机关党委', '/1/', 1, ?)`, now},
			{`INSERT INTO orgs (id, parent_id, kind, name, path, version, created_at) VALUES (2, 1, 'branch', '第一党支部', '/1/2/', 1, ?)`, now},
			{`INSERT INTO orgs (id, parent_id, kind, name, path, version, created_at) VALUES (3, 1, 'branch', '第一党支部', '/1/3/', 1, ?)`, now},
			{`INSERT INTO dict_items (id, dict, label, aliases, sort_order, disabled, version) VALUES (1, 'education', '大学本科', '本科|大本', 10, FALSE, ?)`, 1},
		} {
			if err := s.ExecForTest(ctx, row.q, row.arg); err != nil {
				t.Fatalf("%s: %v", row.q, err)
			}
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatalf("migrate over the old data: %v", err)
		}
		list, err := s.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Branch}})
		if err != nil || len(list) != 2 || list[0].Name != "第一党支部" || list[1].Name != "第一党支部（3）" {
			t.Fatalf("branches after the migration: %+v %v", list, err)
		}
		hist, err := s.OrgHistory(ctx, auth.Everything, 3)
		if err != nil || len(hist) != 1 || hist[0].Action != "rename" || hist[0].To != "第一党支部（3）" {
			t.Fatalf("history of the renamed twin: %+v %v", hist, err)
		}
		p := people.Person{Education: "大本"}
		if err := s.CheckPersonDicts(ctx, &p, nil); err != nil || p.Education != "大学本科" {
			t.Fatalf("an alias from before the migration: %q %v", p.Education, err)
		}
	})
}

// Modules are built on parallel branches, so a database may already hold a
// higher-numbered migration when a lower-numbered one lands: the next start
// applies it instead of refusing to run, and readiness waits until it has.
func TestMigrationLandedOutOfOrderIsApplied(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		cfg := store.Config{}
		if d == store.Postgres {
			cfg.DatabaseURL = storetest.PostgresDatabase(t)
		} else {
			cfg.DataDir = t.TempDir()
		}
		s, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		// Migration 90 (the second factor): later modules' tables refer to
		// the events of 20, so 20 cannot be the one missing on PostgreSQL.
		if err := s.MigrateWithoutForTest(ctx, 90); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.SchemaCurrent(ctx); err != nil || ok {
			t.Fatalf("a database missing migration 90 reads as current: %v %v", ok, err)
		}
		n, err := s.Migrate(ctx)
		if err != nil || n != 1 {
			t.Fatalf("the late migration: applied %d, %v", n, err)
		}
		if ok, err := s.SchemaCurrent(ctx); err != nil || !ok {
			t.Fatalf("after the late migration the schema is not current: %v %v", ok, err)
		}
		if err := s.ExecForTest(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id > ?", 0); err != nil {
			t.Fatalf("the late migration's table: %v", err)
		}
	})
}
