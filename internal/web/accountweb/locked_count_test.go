package accountweb_test

import (
	"regexp"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// A locked account's row says how many failures locked it (it said 0).
func TestLockedAccountShowsItsFailures(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Client(t)
	for range 5 {
		c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "branch2", "password": "wrong-Password1"})
	}
	page := w.Login(t, "secadmin").Get("/security").Body
	row := regexp.MustCompile(`(?s)<tr data-username="branch2">.*?</tr>`).FindString(page)
	if !regexp.MustCompile(`锁定至`).MatchString(row) || !regexp.MustCompile(`<td data-label="连续失败">5</td>`).MatchString(row) {
		t.Fatalf("locked account's row: %s", row)
	}
}
