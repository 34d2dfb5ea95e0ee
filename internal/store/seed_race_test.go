package store_test

import (
	"context"
	"sync"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestInstancesStartingTogetherBothSeed: two instances starting at the same
// moment on one database both seed the dictionaries and the event kinds;
// neither fails, and nothing is there twice.
func TestInstancesStartingTogetherBothSeed(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		a, b := storetest.OpenTwice(t, d, nil)
		for _, seed := range []func(*store.Store) error{
			func(s *store.Store) error { return s.SeedDicts(ctx) },
			func(s *store.Store) error { return s.SeedEvents(ctx) },
		} {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, s := range []*store.Store{a, b} {
				wg.Go(func() { errs[i] = seed(s) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("instance %d: %v", i+1, err)
				}
			}
		}
		kinds, err := a.EventKinds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, k := range kinds {
			if seen[k.Code] {
				t.Fatalf("event kind %s seeded twice", k.Code)
			}
			seen[k.Code] = true
		}
	})
}
