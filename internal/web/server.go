// Package web is the kernel of the HTTP surface: the server, middleware,
// sessions, the mapping of errors to answers, input and form helpers,
// rendering, paging, downloads and the OpenAPI document. The pages and the
// JSON API themselves live in one package per area beside it (orgweb,
// peopleweb …), each owning its routes, handlers, templates and tests; the
// kernel knows areas only through the Area interface.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/jobs"
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
	denied *limiter // throttles the audit records of refused requests

	areas      []Area
	pages, api []Route
	runner     *jobs.Runner // durable background work of every area
	metrics    *metrics
	draining   atomic.Bool // set when the server stops taking work: not ready
}

// New prepares the server with its areas; it fails when a template is
// missing or broken, or two routes or pages share a name.
func New(st *store.Store, cfg config.Config, log *slog.Logger, areas ...NewArea) (*Server, error) {
	s := &Server{st: st, cfg: cfg, log: log, logins: newLimiter(cfg.LoginPerMin, time.Minute),
		denied: newLimiter(refusalsPerMinute, time.Minute)}
	for _, newArea := range areas {
		a := newArea(s)
		s.areas = append(s.areas, a)
		s.pages = append(s.pages, a.Pages()...)
		s.api = append(s.api, a.API()...)
	}
	handlers := map[string]jobs.Handler{}
	for _, a := range s.areas {
		if j, ok := a.(JobHandlers); ok {
			for kind, h := range j.Jobs() {
				if _, dup := handlers[kind]; dup {
					return nil, fmt.Errorf("job kind %q is declared twice", kind)
				}
				handlers[kind] = h
			}
		}
	}
	s.runner = jobs.New(st, log, handlers, jobs.Settings{})
	seen := map[string]bool{}
	for _, rt := range append(append([]Route{}, s.pages...), s.api...) {
		if seen[rt.Pattern] {
			return nil, fmt.Errorf("route %q is declared twice", rt.Pattern)
		}
		seen[rt.Pattern] = true
	}
	v, err := loadViews(s.areas)
	if err != nil {
		return nil, err
	}
	s.views = v
	s.metrics = newMetrics(s)
	return s, nil
}

// Store is the database every area reads and writes through.
func (s *Server) Store() *store.Store { return s.st }

// Config is the running configuration.
func (s *Server) Config() *config.Config { return &s.cfg }

// Log is the server's logger.
func (s *Server) Log() *slog.Logger { return s.log }

// Areas are the mounted areas, in menu order (the work page asks them what is due).
func (s *Server) Areas() []Area { return s.areas }

// China is the time zone pages show times in; storage is UTC.
var China = time.FixedZone("CST", 8*3600)

// Today is the date in China by the store's clock (tests set it).
func (s *Server) Today() date.Date { return date.FromTime(s.st.Now().In(China)) }

// StartJobs sets the durable background work going (package jobs): every
// area schedules its recurring work, and work due while the service was down
// runs now.
func (s *Server) StartJobs(ctx context.Context) error {
	for _, a := range s.areas {
		if sc, ok := a.(Scheduler); ok {
			if err := sc.Schedule(ctx); err != nil {
				return err
			}
		}
	}
	s.runner.Start()
	return nil
}

// Enqueue adds durable background work for the areas' job handlers and
// wakes this instance's runner, so it usually starts at once.
func (s *Server) Enqueue(ctx context.Context, j *store.Job) error {
	if _, err := s.st.EnqueueJob(ctx, j); err != nil {
		return err
	}
	s.runner.Wake()
	return nil
}

// WakeJobs makes this instance look for due work now.
func (s *Server) WakeJobs() { s.runner.Wake() }

// Drain waits for background work to finish, cancelling it when ctx ends
// first (durable jobs are handed back to run again); the server calls it
// after it stops taking requests.
func (s *Server) Drain(ctx context.Context) {
	s.draining.Store(true)
	s.runner.Drain(ctx)
}

// Handler is the whole site: routes wrapped in the middleware every response gets.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.pages {
		mux.Handle(rt.Pattern, s.measure(rt.Pattern, s.page(rt)))
	}
	for _, rt := range s.api {
		mux.Handle(rt.Pattern, s.measure(rt.Pattern, s.apiRoute(rt)))
	}
	s.views.assets.missing = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.Fail(w, r, errNoRoute) })
	mux.Handle("GET /static/", s.views.assets)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("/", s.unmatched(mux))
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Fail(w, r, errCrossOrigin)
	}))
	return s.recoverer(s.secureHeaders(csrf.Handler(mux)))
}

// unmatched answers a request no route takes, in Chinese and in the
// surface's own form (a page in the layout, or JSON under /api/): 405 with
// the methods the address does take, 404 otherwise.
func (s *Server) unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			if m == r.Method {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.Fail(w, r, errMethodNotAllowed)
			return
		}
		s.Fail(w, r, errNoRoute)
	})
}

// readyz tells a load balancer whether to send this instance requests: the
// database answers, its schema is the one this binary expects, and the
// instance is not shutting down. /healthz only says the process lives.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	why := ""
	if s.draining.Load() {
		why = "shutting down"
	} else if err := s.st.Ping(ctx); err != nil {
		why = "database unavailable"
	} else if ok, err := s.st.SchemaCurrent(ctx); err != nil || !ok {
		why = "database schema is not current"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if why != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(why + "\n"))
		return
	}
	w.Write([]byte("ready\n"))
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
