//go:build unix

package peopleweb_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"dangjian/internal/people"
)

// BenchmarkRosterAPI times GET /api/v1/people in-process on SQLite: session
// lookup, middleware, the store query, the views and the JSON, as the roster
// API load test sees it per request but without the network. Profile with
//
//	go test -run '^$' -bench RosterAPI -cpuprofile cpu.pb ./internal/web/peopleweb/
func BenchmarkRosterAPI(b *testing.B) {
	h, branch := benchServer(b)
	var cookies []*http.Cookie
	do := func(method, path string, body any) *httptest.ResponseRecorder {
		var rd io.Reader
		if body != nil {
			js, _ := json.Marshal(body)
			rd = bytes.NewReader(js)
		}
		r := httptest.NewRequest(method, path, rd)
		r.RemoteAddr = "127.0.0.1:40000"
		if body != nil {
			r.Header.Set("Content-Type", "application/json")
		}
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := do("POST", "/api/v1/auth/login", map[string]string{"username": "committee", "password": benchPassword})
	if w.Code != http.StatusOK {
		b.Fatalf("login: %d %s", w.Code, w.Body)
	}
	cookies = w.Result().Cookies()
	for i := range 60 {
		first := fmt.Sprintf("370102%04d%02d%02d%03d", 1950+i%50, 1+i/50%12, 1, 0)
		body := map[string]any{"org_id": branch.ID, "name": "测试人员", "status": "full", "id_number": first + string(people.IDCheckChar(first)),
			"joined_on": "2020-07-01", "full_on": "2021-07-01", "education": "大学本科", "ethnic": "汉族", "phone": "13912345678"}
		if w := do("POST", "/api/v1/people", body); w.Code != http.StatusCreated {
			b.Fatalf("create %d: %d %s", i, w.Code, w.Body)
		}
	}
	path := fmt.Sprintf("/api/v1/people?org=%d&page=2", branch.ParentID)
	if w := do("GET", path, nil); w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte(`"total":60`)) {
		b.Fatalf("list: %d %.300s", w.Code, w.Body)
	}
	b.ReportAllocs()
	for b.Loop() {
		if w := do("GET", path, nil); w.Code != http.StatusOK {
			b.Fatalf("list: %d", w.Code)
		}
	}
}
