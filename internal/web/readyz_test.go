package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
)

// TestNotReadyWhileShuttingDown: once an instance starts draining, /readyz
// says so, and a load balancer stops sending it requests; /healthz still
// answers (the process is alive).
func TestNotReadyWhileShuttingDown(t *testing.T) {
	st := storetest.Open(t, store.SQLite, nil)
	srv, err := web.New(st, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	status := func(path string) int {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := status("/readyz"); s != http.StatusOK {
		t.Fatalf("/readyz before the drain: %d", s)
	}
	srv.Drain(context.Background())
	if s := status("/readyz"); s != http.StatusServiceUnavailable {
		t.Fatalf("/readyz while draining: %d, want 503", s)
	}
	if s := status("/healthz"); s != http.StatusOK {
		t.Fatalf("/healthz while draining: %d", s)
	}
}
