package webtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestUnknownAddressesAnswerInChinese: an address no page has, or a method
// an address does not take, gets a Chinese answer in the surface's own form
// — the error page inside the layout, or the API's JSON error — never Go's
// plain "404 page not found" or "Method Not Allowed".
func TestUnknownAddressesAnswerInChinese(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	for _, tc := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/no-such-page", http.StatusNotFound, "没有这个页面"},
		{"GET", "/logout", http.StatusMethodNotAllowed, "不支持这种请求方式"},
		{"GET", "/api/v1/nothing-here", http.StatusNotFound, "没有这个页面"},
		{"DELETE", "/api/v1/orgs", http.StatusMethodNotAllowed, "不支持这种请求方式"},
		{"GET", "/static/app.00000000.css", http.StatusNotFound, "没有这个页面"},
		{"GET", "/people/999999", http.StatusNotFound, "没有找到"},
	} {
		req, _ := http.NewRequest(tc.method, w.URL+tc.path, nil)
		res := c.Do(req)
		if res.Status != tc.status || !strings.Contains(res.Body, tc.want) || strings.Contains(res.Body, "page not found") {
			t.Errorf("%s %s: %d %.200s", tc.method, tc.path, res.Status, res.Body)
			continue
		}
		if strings.HasPrefix(tc.path, "/api/") {
			var e struct{ Error struct{ Code string } }
			if json.Unmarshal([]byte(res.Body), &e) != nil || e.Error.Code == "" {
				t.Errorf("%s %s: not the API's JSON error: %s", tc.method, tc.path, res.Body)
			}
		} else if !strings.Contains(res.Body, `class="sidebar"`) {
			t.Errorf("%s %s: the error page is not inside the layout", tc.method, tc.path)
		}
		if tc.status == http.StatusMethodNotAllowed && res.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tc.method, tc.path)
		}
	}
}
