package security_test

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
	"dangjian/internal/web/webtest"
)

// startApp starts the platform as the binary does (app.Open, Listen, Run) on
// a fresh SQLite database, and returns it with its address.
func startApp(t *testing.T, adjust func(*config.Config)) (*app.App, string) {
	t.Helper()
	cfg := config.Default()
	cfg.Addr, cfg.DataDir, cfg.BackupDir = "127.0.0.1:0", t.TempDir(), t.TempDir()
	adjust(&cfg)
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	url, err := a.Listen()
	if err != nil {
		cancel()
		a.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	return a, url
}

// committeeApp is startApp with one organisation and a 党委管理员 account
// (no second factor), logged in: call sends it JSON requests.
func committeeApp(t *testing.T, adjust func(*config.Config)) (a *app.App, dataDir string, rootID int64, call func(method, path string, body any) (int, string)) {
	t.Helper()
	a, base := startApp(t, func(c *config.Config) { adjust(c); dataDir = c.DataDir })
	ctx := context.Background()
	root := org.Org{Kind: org.Committee, Name: "市委政法委机关党委"}
	if err := a.Store().CreateOrg(ctx, audit.System, auth.Everything, &root); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword(webtest.Password)
	if err := a.Store().CreateUser(ctx, audit.System, &auth.User{Username: "committee", Role: auth.CommitteeAdmin, OrgID: root.ID, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	call = func(method, path string, body any) (int, string) {
		t.Helper()
		var r io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, r)
		req.Header.Set("Content-Type", "application/json")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if s, b := call("POST", "/api/v1/auth/login", map[string]any{"username": "committee", "password": webtest.Password}); s != http.StatusOK {
		t.Fatalf("login: %d %s", s, b)
	}
	return a, dataDir, root.ID, call
}

// person is a new member's body for POST /api/v1/people.
func person(orgID int64, name, seq string) map[string]any {
	return map[string]any{"org_id": orgID, "name": name, "status": "full", "id_number": webtest.ValidID("19880214", seq),
		"joined_on": "2012-07-01", "full_on": "2013-07-01", "phone": "13987654321", "education": "大学本科"}
}
