package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/app"
	"dangjian/internal/config"
)

// TestOperatorEndpoints: an instance answers /healthz and /readyz on its
// address, and /metrics — requests by route and status, the database pools,
// the job queue — only on the metrics address.
func TestOperatorEndpoints(t *testing.T) {
	cfg := config.Default()
	cfg.Addr, cfg.MetricsAddr, cfg.DataDir = "127.0.0.1:0", "127.0.0.1:0", t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	url, err := a.Listen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	get := func(u string) (int, string) {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, path := range []string{"/healthz", "/readyz", "/login", "/login"} {
		if code, body := get(url + path); code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, code, body)
		}
	}
	if code, _ := get(url + "/metrics"); code != http.StatusNotFound {
		t.Fatalf("/metrics on the public address: %d, want 404", code)
	}
	code, body := get("http://" + a.MetricsAddr() + "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{
		`dangjian_http_requests_total{route="GET /login",status="200"} 2`,
		`dangjian_http_request_duration_seconds_count{route="GET /login"} 2`,
		`go_sql_open_connections{db_name="sqlite_writer"}`,
		`dangjian_jobs{kind="backup",status="pending"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestBadLogSettingsRefused: a typo in the log settings stops the start
// with the flag's name, instead of logging in a format nobody parses.
func TestBadLogSettingsRefused(t *testing.T) {
	for _, set := range []func(*config.Config){
		func(c *config.Config) { c.LogFormat = "xml" },
		func(c *config.Config) { c.LogLevel = "loud" },
	} {
		cfg := config.Default()
		set(&cfg)
		if err := cfg.Check(); err == nil || !strings.Contains(err.Error(), "--log-") {
			t.Fatalf("accepted: %v", err)
		}
	}
	var sb strings.Builder
	cfg := config.Default()
	cfg.LogFormat = "json"
	cfg.Logger(&sb).Info("started", "addr", ":8080")
	if !strings.HasPrefix(sb.String(), `{"time":`) || !strings.Contains(sb.String(), `"msg":"started"`) {
		t.Fatalf("json log line: %s", sb.String())
	}
}
