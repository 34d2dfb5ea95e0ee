package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// startSession logs an account in at the clock's time and returns the token hash.
func startSession(t *testing.T, s *store.Store, now time.Time, userID int64) string {
	t.Helper()
	_, th := auth.NewToken()
	if err := s.StartSession(context.Background(), admin, &auth.Session{TokenHash: th, UserID: userID, CreatedAt: now, LastSeen: now,
		ExpiresAt: now.Add(12 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return th
}

// TestIdleCheckIsExact: a session ends exactly Idle after its last request,
// although last_seen is written at most once a minute. A request 30 seconds
// after login (not written) still counts: a second before Idle after it the
// session lives, at Idle after the last request it is over.
func TestIdleCheckIsExact(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		s := storetest.Open(t, d, clock.Now)
		u := &auth.User{Username: "secretary1", Role: auth.SecurityAdmin, PasswordHash: "x"}
		if err := s.CreateUser(ctx, admin, u); err != nil {
			t.Fatal(err)
		}
		p := auth.DefaultSessionPolicy
		th := startSession(t, s, clock.Now(), u.ID)
		check := func(what string, wantLive bool) {
			t.Helper()
			_, _, err := s.SessionUser(ctx, th, p)
			if live := err == nil; live != wantLive {
				t.Fatalf("%s: live %v (%v), want %v", what, live, err, wantLive)
			}
			if err != nil && !errors.Is(err, errs.ErrUnauthenticated) {
				t.Fatal(err)
			}
		}
		clock.Advance(30 * time.Second)
		check("a request 30 s after login", true)
		clock.Advance(p.Idle - time.Second)
		check("a second short of Idle after the last request", true)
		clock.Advance(10 * time.Second)
		check("10 s later", true)
		clock.Advance(p.Idle)
		check("exactly Idle after the last request", false)
	})
}

// TestIdleCheckIsExactAcrossInstances: two instances share PostgreSQL. A
// request the first served and did not write at once reaches the database
// within a step, so the second does not end the session early either.
func TestIdleCheckIsExactAcrossInstances(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock()
	url := storetest.PostgresDatabase(t)
	open := func() *store.Store {
		s, err := store.Open(ctx, store.Config{DatabaseURL: url, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	if _, err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u := &auth.User{Username: "secretary1", Role: auth.SecurityAdmin, PasswordHash: "x"}
	if err := a.CreateUser(ctx, admin, u); err != nil {
		t.Fatal(err)
	}
	// A short Idle makes the step short (Idle/2), so the flush comes within a second.
	p := auth.SessionPolicy{Idle: 2 * time.Second, Absolute: time.Hour}
	th := startSession(t, a, clock.Now(), u.ID)
	clock.Advance(900 * time.Millisecond)
	if _, _, err := a.SessionUser(ctx, th, p); err != nil {
		t.Fatalf("request on the first instance: %v", err)
	}
	// Wait for the first instance to write the request it remembered.
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := clock.Now()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var last time.Time
		if err := db.QueryRowContext(ctx, "SELECT last_seen FROM sessions WHERE token_hash = $1", th).Scan(&last); err != nil {
			t.Fatal(err)
		}
		if !last.Before(want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the remembered request was not written within 20 s (last_seen %v, request at %v)", last, want)
		}
	}
	clock.Advance(p.Idle - 100*time.Millisecond)
	if _, _, err := b.SessionUser(ctx, th, p); err != nil {
		t.Fatalf("second instance, %v after the last request: %v", p.Idle-100*time.Millisecond, err)
	}
}
