// Package security_test shows, line by line, that the platform does what
// SECURITY.md promises: one file per line, named after it, each test
// asserting what an auditor would check from outside — over HTTP against the
// whole site, or on the database the site wrote. README.md is the index.
package security_test

import (
	"database/sql"
	"net/http"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// db is the world's database as an administrator with a database client
// would see it (the SQLite writer connection, or PostgreSQL).
func db(st *store.Store) *sql.DB {
	p := st.Pools()
	if d, ok := p["postgres"]; ok {
		return d
	}
	return p["sqlite_writer"]
}

// auditCount is how many records the audit log holds, read from the table
// itself rather than through the application.
func auditCount(t *testing.T, w *webtest.World) int {
	t.Helper()
	var n int
	if err := db(w.Store).QueryRowContext(t.Context(), "SELECT COUNT(*) FROM audit_log").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// loginCookie logs in an account without a second factor through the JSON
// API and returns the session cookie the server set (nil if none).
func loginCookie(t *testing.T, w *webtest.World, username, password string) (*http.Cookie, webtest.Response) {
	t.Helper()
	res := w.Client(t).JSON("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": password})
	for _, line := range res.Header.Values("Set-Cookie") {
		if ck, err := http.ParseSetCookie(line); err == nil && ck.Value != "" {
			return ck, res
		}
	}
	return nil, res
}

// get sends a GET with a session cookie and no cookie jar.
func get(t *testing.T, w *webtest.World, ck *http.Cookie, path string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", w.URL+path, nil)
	if ck != nil {
		req.AddCookie(ck)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// hasChinese reports whether s holds Chinese text: a message for a person,
// not Go's English error text.
func hasChinese(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
