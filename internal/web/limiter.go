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
	// Refused attempts not yet reported: how many, since when, and when the
	// address was last reported.
	refused     int
	since, told time.Time
}

// Refusals is how many attempts from one address were refused between two
// instants. The limiter hands them out at most once per address and window,
// so a flood of refused requests makes one audit record a minute, not one
// per request.
type Refusals struct {
	Addr     string
	Count    int
	From, To time.Time
}

func newLimiter(perMin int, window time.Duration) *limiter {
	return &limiter{perMin: perMin, window: window, clients: map[string]*clientLimit{}}
}

// allow takes one attempt for the address, reporting whether it may go
// ahead, and the refusals now due to be recorded: this address's when it was
// last reported a window ago or more (at once the first time), and the
// remaining counts of addresses that went quiet.
func (l *limiter) allow(addr string, now time.Time) (bool, []Refusals) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var due []Refusals
	if now.Sub(l.swept) > l.window { // forget quiet clients so the map stays small
		for k, c := range l.clients {
			if now.Sub(c.seen) > l.window {
				if c.refused > 0 {
					due = append(due, Refusals{k, c.refused, c.since, c.seen})
				}
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
	if c.lim.AllowN(now, 1) {
		return true, due
	}
	if c.refused == 0 {
		c.since = now
	}
	c.refused++
	if c.told.IsZero() || now.Sub(c.told) >= l.window {
		due = append(due, Refusals{addr, c.refused, c.since, now})
		c.refused, c.told = 0, now
	}
	return false, due
}

// AllowLogin takes one login attempt for a client address, reporting whether
// it may go ahead and which refused attempts are now due to be recorded.
func (s *Server) AllowLogin(ip string) (bool, []Refusals) { return s.logins.allow(ip, s.st.Now()) }
