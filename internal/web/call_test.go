package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"

	"dangjian/internal/config"
)

// TestForgedForwardedForIsNotBelieved: a client behind the proxy writes
// whatever it likes into X-Forwarded-For; only what the trusted proxies
// appended counts.
func TestForgedForwardedForIsNotBelieved(t *testing.T) {
	chain := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, tc := range []struct {
		name    string
		trust   bool
		proxies []netip.Prefix
		peer    string
		xff     []string
		want    string
	}{
		{"no proxy configured: the peer", false, nil, "203.0.113.9:5000", []string{"1.1.1.1"}, "203.0.113.9"},
		{"one proxy: what it appended", true, nil, "127.0.0.1:5000", []string{"1.1.1.1, 198.51.100.7"}, "198.51.100.7"},
		{"one proxy, client adds many", true, nil, "127.0.0.1:5000", []string{"9.9.9.9, 8.8.8.8, 198.51.100.7"}, "198.51.100.7"},
		{"one proxy, several headers", true, nil, "127.0.0.1:5000", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"chained proxies: first untrusted from the right", true, chain, "10.0.0.1:5000", []string{"6.6.6.6, 198.51.100.7, 10.0.0.2"}, "198.51.100.7"},
		{"peer is not a listed proxy: its header is ignored", true, chain, "203.0.113.9:5000", []string{"198.51.100.7"}, "203.0.113.9"},
		{"malformed hop stops the walk", true, nil, "127.0.0.1:5000", []string{"1.1.1.1, not-an-ip"}, "127.0.0.1"},
		{"no header behind a proxy: the proxy", true, nil, "127.0.0.1:5000", nil, "127.0.0.1"},
		{"IPv6 peer", true, nil, "[::1]:5000", []string{"2001:db8::7"}, "2001:db8::7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{cfg: config.Config{TrustProxy: tc.trust, TrustedProxies: tc.proxies}}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, h := range tc.xff {
				r.Header.Add("X-Forwarded-For", h)
			}
			if got := s.ClientIP(r); got != tc.want {
				t.Fatalf("client address %q, want %q", got, tc.want)
			}
		})
	}
}
