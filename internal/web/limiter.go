package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

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

// AllowLogin takes one login attempt for a client address, reporting whether
// it may go ahead.
func (s *Server) AllowLogin(ip string) bool { return s.logins.allow(ip, s.st.Now()) }
