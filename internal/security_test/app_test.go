package security_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"dangjian/internal/app"
	"dangjian/internal/config"
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
