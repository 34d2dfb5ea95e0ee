package store_test

import (
	"context"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// A locked account showed 0 failures: the lock reset the count. It keeps it
// now, so the security administrator sees the five that locked it; after the
// lock runs out, one more wrong password starts a new count instead of
// locking again at once.
func TestLockedAccountKeepsItsFailureCount(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		s := storetest.Open(t, d, clock.Now)
		tr := buildTree(t, s)
		hash, _ := auth.HashPassword("Zhengfa#2026x")
		u := &auth.User{Username: "secretary1", Role: auth.BranchAdmin, OrgID: tr.b1.ID, PasswordHash: hash}
		if err := s.CreateUser(ctx, admin, u); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			if _, err := s.LoginFailed(ctx, admin, u.ID, auth.DefaultLockoutPolicy); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := s.User(ctx, u.ID)
		if !got.Locked(clock.Now()) || got.Failures != 5 {
			t.Fatalf("locked %v with %d failures, want locked with 5", got.Locked(clock.Now()), got.Failures)
		}
		clock.Advance(31 * time.Minute)
		locked, err := s.LoginFailed(ctx, admin, u.ID, auth.DefaultLockoutPolicy)
		got, _ = s.User(ctx, u.ID)
		if err != nil || locked || got.Failures != 1 || got.Locked(clock.Now()) {
			t.Fatalf("after the lock ran out: locked=%v failures=%d %v", locked, got.Failures, err)
		}
	})
}
