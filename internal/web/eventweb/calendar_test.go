package eventweb_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// A month's calendar judges the rules of longer periods over their whole
// period: June shows the second quarter's 支部党员大会 held in April and
// the year's 组织生活会 held in January as met, and June's 支委会 as due.
func TestMonthCalendarJudgesQuarterAndYearWhole(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	k := kinds(t, w)
	held := func(code, day string) {
		t.Helper()
		start, err := time.ParseInLocation("2006-01-02 15:04", day+" 09:00", China)
		if err != nil {
			t.Fatal(err)
		}
		e := &event.Event{OrgID: w.Branch1.ID, KindID: k[code].ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
			Status: event.Held, HeldStart: start, HeldEnd: start.Add(2 * time.Hour)}
		if err := w.Store.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
			t.Fatal(err)
		}
	}
	held("branch_congress", "2026-04-08")
	held("org_life", "2026-01-15")
	b1 := w.Login(t, "branch1")
	cal := b1.Get("/api/v1/events/calendar?month=2026-06")
	wantStatus(t, "June's calendar", cal, http.StatusOK)
	states := map[string]string{}
	for _, c := range cal.Decode(t)["checks"].([]any) {
		ch := c.(map[string]any)
		if ch["org_id"].(float64) == float64(w.Branch1.ID) {
			states[ch["rule"].(map[string]any)["kind_name"].(string)+" "+ch["period"].(string)] = ch["state"].(string)
		}
	}
	for check, want := range map[string]string{"支部党员大会 2026年二季度": "met", "组织生活会 2026年": "met", "支委会 2026年6月": "due"} {
		if states[check] != want {
			t.Errorf("June's calendar shows %s as %q, want %q; all: %v", check, states[check], want, states)
		}
	}
}

// The calendar's organisation list offers the tree opened down to the
// chosen organisation, not the whole tree: the committee's list names its
// branches and not their groups; the branch chosen, its group too.
func TestCalendarOffersTheChosenOnesChildren(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	staff := w.Login(t, "committee")
	option := func(o org.Org) string { return `<option value="` + strconv.FormatInt(o.ID, 10) + `"` }
	for _, c := range []struct {
		chosen      org.Org
		offers, not []org.Org
	}{
		{w.Root, []org.Org{w.Root, w.Branch1, w.Branch2}, []org.Org{w.Group1}},
		{w.Branch1, []org.Org{w.Root, w.Branch1, w.Group1, w.Branch2}, nil},
	} {
		page := staff.Get("/events?org=" + strconv.FormatInt(c.chosen.ID, 10))
		wantStatus(t, c.chosen.Name+"'s calendar", page, http.StatusOK)
		for _, o := range c.offers {
			if !strings.Contains(page.Body, option(o)) {
				t.Errorf("%s's calendar does not offer %s", c.chosen.Name, o.Name)
			}
		}
		for _, o := range c.not {
			if strings.Contains(page.Body, option(o)) {
				t.Errorf("%s's calendar offers %s", c.chosen.Name, o.Name)
			}
		}
	}
}
