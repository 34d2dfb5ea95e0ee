package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
)

// TestAuthenticatorKeyIsSealed: with encryption on, an account's
// authenticator key is stored sealed with SM4 (never as the key itself),
// read back right, re-sealed by a key rotation, and a changed ciphertext is
// reported as tampering, never used.
func TestAuthenticatorKeyIsSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	k1 := "index=" + strings.Repeat("ab", 32) + "\nkey.1=" + strings.Repeat("01", 16) + "\n"
	open := func(keys string) *store.Store {
		t.Helper()
		k, err := store.ParseKeys(keys)
		if err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, store.Config{DataDir: dir, Keys: &k})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	stored := func() string {
		db, err := sql.Open("sqlite", filepath.Join(dir, "dangjian.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v string
		if err := db.QueryRow("SELECT totp_secret FROM users WHERE username = 'anquan'").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	s := open(k1)
	u := &auth.User{Username: "anquan", Role: auth.SecurityAdmin, PasswordHash: "x"}
	if err := s.CreateUser(ctx, admin, u); err != nil {
		t.Fatal(err)
	}
	secret, err := auth.NewTOTPSecret(u.Username)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Enrol(ctx, admin, store.Enrolment{UserID: u.ID, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	if v := stored(); !strings.HasPrefix(v, "sm4:1:") || strings.Contains(v, secret) {
		t.Fatalf("stored key: %q", v)
	}
	if got, err := s.TOTPSecret(ctx, u.ID); err != nil || got != secret {
		t.Fatalf("read back: %q %v", got, err)
	}
	s.Close()

	s = open(k1 + "key.2=" + strings.Repeat("02", 16) + "\n")
	defer s.Close()
	if _, err := s.Reseal(ctx, admin, false, nil); err != nil {
		t.Fatal(err)
	}
	if v := stored(); !strings.HasPrefix(v, "sm4:2:") {
		t.Fatalf("after rotation: %q", v)
	}
	if got, err := s.TOTPSecret(ctx, u.ID); err != nil || got != secret {
		t.Fatalf("read back after rotation: %q %v", got, err)
	}
	if err := s.ExecForTest(ctx, "UPDATE users SET totp_secret = substr(totp_secret, 1, length(totp_secret) - 2) || "+
		"CASE WHEN substr(totp_secret, length(totp_secret) - 1, 1) = 'A' THEN 'B' ELSE 'A' END || substr(totp_secret, length(totp_secret))"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TOTPSecret(ctx, u.ID); !errors.Is(err, store.ErrTampered) {
		t.Fatalf("a tampered key: %v, want ErrTampered", err)
	}
}
