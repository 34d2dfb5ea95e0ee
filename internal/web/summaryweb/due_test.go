package summaryweb_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestWorkbenchRemindsOfTheHalfYearSummary: in July the 工作台 of those who
// write summaries says the half-year's is not generated yet, until it is;
// in June it says nothing, and a branch is reminded of its own.
func TestWorkbenchRemindsOfTheHalfYearSummary(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	const due = "2026年上半年工作总结尚未生成"
	if home := c.Get("/"); strings.Contains(home.Body, due) {
		t.Fatal("reminded before the half-year ended")
	}
	w.Clock.Advance(3 * 24 * time.Hour) // 3 July; the session has ended meanwhile
	c = w.Login(t, "committee")
	if home := c.Get("/"); !strings.Contains(home.Body, due) {
		t.Fatalf("no reminder on 3 July: %.2000s", home.Body)
	}
	wantStatus(t, "generate", c.JSON("POST", "/api/v1/summaries", map[string]any{"org_id": w.Root.ID, "period": "h1", "year": 2026}), http.StatusCreated)
	if home := c.Get("/"); strings.Contains(home.Body, due) {
		t.Fatal("still reminded after generating it")
	}
	if home := w.Login(t, "branch1").Get("/"); !strings.Contains(home.Body, due) {
		t.Fatal("the branch is not reminded of its own")
	}
}
