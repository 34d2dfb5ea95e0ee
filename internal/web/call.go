package web

import (
	"net"
	"net/http"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
)

// Call is what a handler knows about the request: who is asking, within which
// part of the tree, and from where.
type Call struct {
	User    *auth.User    // nil on public routes without a session
	Session *auth.Session // nil likewise
	Scope   auth.Scope    // the user's data scope, passed to every store query
	Actor   audit.Actor   // for the audit record of any change
}

// Can reports whether the caller holds a permission.
func (c *Call) Can(p auth.Perm) bool { return c.User != nil && c.User.Role.Can(p) }

// ClientIP is the address audit records and the login limiter use.
func (s *Server) ClientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			return strings.TrimSpace(strings.Split(xff, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// IsAPI reports a request to the JSON API, which answers errors in JSON.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
