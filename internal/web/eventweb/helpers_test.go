package eventweb_test

import (
	"context"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/web/webtest"
)

// China is where the meetings happen.
var China = event.China

// kinds reads the seeded kinds by code.
func kinds(t *testing.T, w *webtest.World) map[string]event.Kind {
	t.Helper()
	list, err := w.Store.EventKinds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]event.Kind{}
	for _, k := range list {
		out[k.Code] = k
	}
	return out
}

// meeting plans an event of 第一党支部 around the world's clock: it began
// ten minutes ago and lasts two hours, so sign-in is open.
func meeting(t *testing.T, w *webtest.World, orgID int64, code string) *event.Event {
	t.Helper()
	start := w.Clock.Now().Add(-10 * time.Minute)
	e := &event.Event{OrgID: orgID, KindID: kinds(t, w)[code].ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour)}
	if err := w.Store.CreateEvent(context.Background(), audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// secretary seats P1 as 第一党支部's 书记 (the committee of a 支委会).
func secretary(t *testing.T, w *webtest.World) {
	t.Helper()
	seat := &org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: w.P1.ID, Position: "书记", From: date.MustParse("2024-01-01")}
	if err := w.Store.AddCommitteeMember(context.Background(), audit.System, auth.Everything, seat); err != nil {
		t.Fatal(err)
	}
}

func wantStatus(t *testing.T, what string, res webtest.Response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("%s: status %d, want %d: %.400s", what, res.Status, want, res.Body)
	}
}
