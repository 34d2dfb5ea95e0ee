package web

import (
	"net/http"
	"net/netip"
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

// ClientIP is the address audit records and the login limiter use. Behind a
// trusted proxy it is the address that proxy saw: X-Forwarded-For is read
// from the right, past the configured proxies, and the first address that
// is not one of them is the client. Entries further left were written by the
// client itself and are never believed.
func (s *Server) ClientIP(r *http.Request) string {
	peer := remoteAddr(r)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	if !s.cfg.TrustProxy || !s.trustedProxy(peer, true) {
		return peer.String()
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop: believe nothing beyond it
		}
		client = ip.Unmap()
		if !s.trustedProxy(client, false) {
			break
		}
	}
	return client.String()
}

// trustedProxy reports whether an address is one of the configured proxies.
// With none configured, only the peer that connects to us is: the one proxy
// in front.
func (s *Server) trustedProxy(ip netip.Addr, isPeer bool) bool {
	if len(s.cfg.TrustedProxies) == 0 {
		return isPeer
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func remoteAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		a, _ := netip.ParseAddr(r.RemoteAddr)
		return a.Unmap()
	}
	return ap.Addr().Unmap()
}

// IsAPI reports a request to the JSON API, which answers errors in JSON.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
