package eventweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestListTakenAtTheStart: the job queued when an event is planned takes
// its list from the roster when it begins, so a member who arrives after
// the start is not on it, though the secretary records the meeting later.
func TestListTakenAtTheStart(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "branch1")
	start := w.Clock.Now().Add(time.Hour).In(China)
	res := c.JSON("POST", "/api/v1/events", map[string]any{"org_id": w.Branch1.ID, "kind_id": kinds(t, w)["branch_congress"].ID,
		"planned_start": start.Format("2006-01-02 15:04"), "planned_end": start.Add(2 * time.Hour).Format("2006-01-02 15:04")})
	wantStatus(t, "plan", res, http.StatusCreated)
	id := int64(res.Decode(t)["id"].(float64))
	w.Clock.Advance(61 * time.Minute)
	w.Server.WakeJobs()
	deadline := time.Now().Add(20 * time.Second)
	for {
		e, err := w.Store.Event(context.Background(), auth.Everything, id)
		if err != nil {
			t.Fatal(err)
		}
		if !e.FrozenAt.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the list was not taken at the start")
		}
		time.Sleep(50 * time.Millisecond)
		w.Server.WakeJobs()
	}
	webtest.MustPerson(t, w.Store, w.Branch1.ID, "后来者", "19950505", "555")
	c = w.Login(t, "branch1")
	res = c.Form("/events/"+strconv.FormatInt(id, 10), url.Values{"status": {"held"}, "version": {"1"}})
	wantStatus(t, "record it held", res, http.StatusSeeOther)
	list, err := w.Store.EventAttendance(context.Background(), auth.Everything, id)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range list {
		names = append(names, a.Name)
	}
	if len(list) != 1 || list[0].Name != w.P1.Name {
		t.Errorf("the list is %s, want only %s", strings.Join(names, "、"), w.P1.Name)
	}
}
