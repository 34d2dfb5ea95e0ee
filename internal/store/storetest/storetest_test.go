package storetest_test

import (
	"context"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/dict"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// A test's database is a copy of the empty one the test binaries share:
// every migration applied, the default dictionaries there, and its own —
// what one test writes, the next one opened does not hold.
func TestOpenGivesAMigratedSeededDatabaseOfItsOwn(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		a := storetest.Open(t, d, nil)
		if n, err := a.Migrate(ctx); err != nil || n != 0 {
			t.Fatalf("the copy had %d migrations left to apply (%v)", n, err)
		}
		items, err := a.DictItems(ctx, dict.Education)
		if err != nil || len(items) != len(dict.Defaults[dict.Education]) {
			t.Fatalf("学历 dictionary: %d items (%v), want the %d defaults", len(items), err, len(dict.Defaults[dict.Education]))
		}
		root := org.Org{Kind: org.Committee, Name: "测试党委"}
		if err := a.CreateOrg(ctx, audit.System, auth.Everything, &root); err != nil {
			t.Fatal(err)
		}
		b := storetest.Open(t, d, nil)
		if orgs, err := b.Orgs(ctx, auth.Everything, store.OrgFilter{IncludeClosed: true}); err != nil || len(orgs) != 0 {
			t.Fatalf("another test's database holds %d organisations (%v)", len(orgs), err)
		}
	})
}

// The empty database is named by what makes it: the dialect's migrations
// and the default dictionaries.
func TestFingerprintNamesTheDialectsEmptyDatabase(t *testing.T) {
	sq, err := store.Fingerprint(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Fingerprint(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := store.Fingerprint(store.SQLite); len(sq) != 16 || sq == pg || again != sq {
		t.Fatalf("fingerprints %q (again %q) and %q", sq, again, pg)
	}
	saved := dict.Defaults[dict.Education]
	t.Cleanup(func() { dict.Defaults[dict.Education] = saved })
	dict.Defaults[dict.Education] = append(saved[:len(saved):len(saved)], dict.Item{Label: "博士后"})
	if changed, _ := store.Fingerprint(store.SQLite); changed == sq {
		t.Fatal("a default dictionary changed and the fingerprint did not")
	}
}
