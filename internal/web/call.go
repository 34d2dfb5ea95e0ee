package web

import (
	"net"
	"net/http"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
)

// call is what a handler knows about the request: who is asking, within which
// part of the tree, and from where.
type call struct {
	user    *auth.User    // nil on public routes without a session
	session *auth.Session // nil likewise
	scope   auth.Scope    // the user's data scope, passed to every store query
	actor   audit.Actor   // for the audit record of any change
}

// can reports whether the caller holds a permission.
func (c *call) can(p auth.Perm) bool { return c.user != nil && c.user.Role.Can(p) }

// clientIP is the address audit records and the login limiter use.
func (s *Server) clientIP(r *http.Request) string {
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

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
