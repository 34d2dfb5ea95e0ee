// Package web is the HTTP surface: server-rendered pages for people and a JSON
// API under /api/v1 for programs, over the same store and the same rules. Each
// surface has one route table, with the permission every route needs written
// next to it (routes.go).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/store"
)

// Server holds what handlers need. It has no package-level state: tests start
// as many as they like.
type Server struct {
	st     *store.Store
	cfg    config.Config
	log    *slog.Logger
	views  *views
	logins *limiter

	// Background jobs (imports) run under jobsCtx and are drained by Drain.
	jobs     sync.WaitGroup
	jobsCtx  context.Context
	stopJobs context.CancelFunc
}

// New prepares the server; it fails when a template is missing or broken.
func New(st *store.Store, cfg config.Config, log *slog.Logger) (*Server, error) {
	v, err := loadViews()
	if err != nil {
		return nil, err
	}
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	return &Server{st: st, cfg: cfg, log: log, views: v, logins: newLimiter(cfg.LoginPerMin, time.Minute),
		jobsCtx: jobsCtx, stopJobs: stopJobs}, nil
}

// Drain waits for background jobs to finish, cancelling them when ctx ends
// first; the server calls it after it stops taking requests.
func (s *Server) Drain(ctx context.Context) { s.drainJobs(ctx) }

// Handler is the whole site: routes wrapped in the middleware every response gets.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.pageRoutes() {
		mux.Handle(rt.pattern, s.page(rt))
	}
	for _, rt := range s.apiRoutes() {
		mux.Handle(rt.pattern, s.api(rt))
	}
	mux.Handle("GET /static/", s.views.assets)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, isAPI(r), errCrossOrigin)
	}))
	return s.recoverer(s.secureHeaders(csrf.Handler(s.limitBody(mux))))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.st.Ping(ctx); err != nil {
		s.log.Error("health check", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// route is one entry of a route table.
type route struct {
	pattern string    // "METHOD /path/{id}"
	perm    auth.Perm // what the user must hold; see the two below
	handler handler
	summary string // the OpenAPI summary and the audit-free description
}

const (
	public     auth.Perm = "public"      // no login needed
	loggedIn   auth.Perm = "loggedin"    // any logged-in user
	ownAccount auth.Perm = "own_account" // any logged-in user, even one who must change their password first
)

// handler handles one request; it returns an error instead of writing one, and
// a single place (errors.go) turns errors into status codes and messages.
type handler func(w http.ResponseWriter, r *http.Request, c *call) error
