package security_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 17: requests have size limits, timeouts and per-client rate
// limits on login. Deeper: internal/web/limits_test.go (every documented
// text field capped), internal/web/limiter_test.go,
// internal/web/authweb/login_test.go and forwarded_test.go (a forged
// X-Forwarded-For beats neither the limit nor the audit).

// TestLine17EveryRouteHasABodyLimit: every writing route declares how large a
// body it takes, and a body over it is refused with 413 and a Chinese
// message before anything is written.
func TestLine17EveryRouteHasABodyLimit(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	for _, rt := range w.Server.Routes() {
		if rt.MaxBody <= 0 || rt.MaxBody > 64<<20 {
			t.Errorf("%s: body limit %d", rt.Pattern, rt.MaxBody)
		}
	}
	c := w.Login(t, "committee")
	before := auditCount(t, w)
	big := bytes.Repeat([]byte("x"), web.DefaultMaxBody+1)
	for _, path := range []string{"/api/v1/orgs", "/api/v1/people"} {
		req, _ := http.NewRequest("POST", w.URL+path, bytes.NewReader(append(append([]byte(`{"name":"`), big...), `"}`...)))
		req.Header.Set("Content-Type", "application/json")
		res := c.Do(req)
		if res.Status != http.StatusRequestEntityTooLarge || !hasChinese(res.Body) {
			t.Errorf("POST %s with %d bytes: %d %.200s", path, len(big), res.Status, res.Body)
		}
	}
	// A page form too.
	res := c.Form("/orgs", map[string][]string{"name": {string(big)}})
	if res.Status != http.StatusRequestEntityTooLarge || !hasChinese(res.Body) {
		t.Errorf("POST /orgs with %d bytes: %d %.200s", len(big), res.Status, res.Body)
	}
	if n := auditCount(t, w); n != before {
		t.Fatalf("oversized requests left %d audit records", n-before)
	}
}

// TestLine17LoginRateLimitPerClient: past the configured attempts a minute
// from one address, logins are refused with 429 and a Chinese message — even
// with the right password — until the minute has passed.
func TestLine17LoginRateLimitPerClient(t *testing.T) {
	w := webtest.NewWorldWith(t, store.SQLite, func(c *config.Config) { c.LoginPerMin = 3 })
	c := w.Client(t)
	for i := range 3 {
		c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "nobody" + webtest.Itoa(int64(i)), "password": "x"})
	}
	res := c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch1", "password": webtest.Password})
	if res.Status != http.StatusTooManyRequests || !hasChinese(res.Body) {
		t.Fatalf("fourth login in a minute: %d %s", res.Status, res.Body)
	}
	res = c.Form("/login", map[string][]string{"username": {"branch1"}, "password": {webtest.Password}})
	if res.Status != http.StatusTooManyRequests || !hasChinese(res.Body) {
		t.Fatalf("fifth login in a minute, by the page: %d %.200s", res.Status, res.Body)
	}
	w.Clock.Advance(2 * time.Minute)
	if ck, res := loginCookie(t, w, "branch1", webtest.Password); ck == nil {
		t.Fatalf("login a minute later: %d %s", res.Status, res.Body)
	}
}

// TestLine17ServerTimeouts: the server the binary runs drops a client that
// never finishes its request headers (slowloris) and refuses huge headers.
func TestLine17ServerTimeouts(t *testing.T) {
	_, base := startApp(t, func(*config.Config) {})
	addr := strings.TrimPrefix(base, "http://")
	// Huge headers: 431.
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req.Header.Set("X-Filler", strings.Repeat("a", 200<<10))
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("200 KB of headers: %d", res.StatusCode)
		}
	}
	// Headers that never end: the server hangs up (ReadHeaderTimeout), and a
	// client waiting far longer than that sees the connection closed.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	_, err = bufio.NewReader(conn).ReadString('\n')
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server kept a connection with unfinished headers open for a minute")
	}
}
