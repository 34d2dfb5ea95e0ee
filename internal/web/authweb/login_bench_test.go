package authweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
)

// BenchmarkRefusedLogin times the refusals an outsider cannot tell apart by
// their answer (TestLockedAndUnknownAnswerAlike): an unknown name, a wrong
// password, a locked account and a pending one (no password yet) each cost
// one password check and one audited write, so their times should not tell them apart either. Compare
// the sub-benchmarks' ns/op.
func BenchmarkRefusedLogin(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b, store.SQLite, nil)
	cfg := config.Default()
	cfg.LoginPerMin, cfg.Lockout.MaxFailures = 1<<30, 1<<30
	srv, err := web.New(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Areas()...)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	hash, _ := auth.HashPassword("Kaifa#2026test")
	for _, name := range []string{"wrongpw", "locked"} {
		u := &auth.User{Username: name, Role: auth.SecurityAdmin, PasswordHash: hash}
		if err := st.CreateUser(ctx, audit.System, u); err != nil {
			b.Fatal(err)
		}
		if name == "locked" {
			if _, err := st.LoginFailed(ctx, audit.System, u.ID, auth.LockoutPolicy{MaxFailures: 1, LockFor: 24 * time.Hour}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := st.ProposeUser(ctx, audit.System, &auth.User{Username: "pending", Role: auth.SecurityAdmin}); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, username, password string }{
		{"unknown", "nobody", "Kaifa#2026test"},
		{"wrong_password", "wrongpw", "Wrong#2026test"},
		{"locked", "locked", "Kaifa#2026test"},
		{"pending", "pending", "Kaifa#2026test"}, // no password at all: checked against a stand-in
	} {
		body, _ := json.Marshal(map[string]string{"username": bc.username, "password": bc.password})
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				res, err := http.Post(ts.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusUnauthorized {
					b.Fatalf("%s: %d", bc.name, res.StatusCode)
				}
			}
		})
	}
}
