package web

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxBody is the largest request body outside uploads; uploads set their own.
const maxBody = 1 << 20

// secureHeaders sets the headers every response carries (SECURITY.md 5).
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.TLS() {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies so a client cannot exhaust memory.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxBody)
		if strings.HasSuffix(r.URL.Path, "/import") {
			limit = maxUpload + 64<<10
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a 500 with a safe message and a log line.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v)
				s.fail(w, r, isAPI(r), errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limiter is a per-client-address rate limit (login attempts). Each instance
// limits on its own; the per-account lockout in the database is shared.
type limiter struct {
	mu      sync.Mutex
	perMin  int
	window  time.Duration
	clients map[string]*clientLimit
	swept   time.Time
}

type clientLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(perMin int, window time.Duration) *limiter {
	return &limiter{perMin: perMin, window: window, clients: map[string]*clientLimit{}}
}

// allow takes one attempt for the address, reporting whether it may go ahead.
func (l *limiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.window { // forget quiet clients so the map stays small
		for k, c := range l.clients {
			if now.Sub(c.seen) > l.window {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c := l.clients[addr]
	if c == nil {
		c = &clientLimit{lim: rate.NewLimiter(rate.Every(l.window/time.Duration(l.perMin)), l.perMin)}
		l.clients[addr] = c
	}
	c.seen = now
	return c.lim.AllowN(now, 1)
}
