package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/org"
	"dangjian/internal/store/storetest"
)

// TestTwoInstancesOnePostgres: two instances behind a load balancer without
// sticky sessions — a session started on one works on the other, a lockout
// on one holds on the other, a logout on one ends the session on both.
func TestTwoInstancesOnePostgres(t *testing.T) {
	db := storetest.PostgresDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var urls []string
	var apps []*app.App
	for range 2 {
		cfg := config.Default()
		cfg.Addr, cfg.DatabaseURL, cfg.LoginPerMin = "127.0.0.1:0", db, 1000
		a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		u, err := a.Listen()
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()
		defer func() { cancel(); <-done }()
		urls, apps = append(urls, u), append(apps, a)
	}
	st := apps[0].Store()
	root := org.Org{Kind: org.Committee, Name: "市委政法委机关党委"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &root); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("Kaifa#2026two")
	for _, name := range []string{"alice", "bob"} {
		if err := st.CreateUser(ctx, audit.System, &auth.User{Username: name, Role: auth.CommitteeAdmin, OrgID: root.ID, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	call := func(base, method, path string, body any) int {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// A session started on one instance works on the other.
	if s := call(urls[0], "POST", "/api/v1/auth/login", map[string]string{"username": "alice", "password": "Kaifa#2026two"}); s != http.StatusOK {
		t.Fatalf("login on the first: %d", s)
	}
	if s := call(urls[1], "GET", "/api/v1/me", nil); s != http.StatusOK {
		t.Fatalf("the session on the second instance: %d", s)
	}
	// A logout on the second ends it on the first.
	if s := call(urls[1], "POST", "/api/v1/auth/logout", nil); s != http.StatusNoContent {
		t.Fatalf("logout on the second: %d", s)
	}
	if s := call(urls[0], "GET", "/api/v1/me", nil); s != http.StatusUnauthorized {
		t.Fatalf("the session on the first after logging out on the second: %d", s)
	}
	// Five failures spread over both instances lock the account on both.
	for i := range 5 {
		call(urls[i%2], "POST", "/api/v1/auth/login", map[string]string{"username": "bob", "password": "wrong-password"})
	}
	for i, u := range urls {
		if s := call(u, "POST", "/api/v1/auth/login", map[string]string{"username": "bob", "password": "Kaifa#2026two"}); s == http.StatusOK {
			t.Fatalf("instance %d let a locked account in", i+1)
		}
	}
}
