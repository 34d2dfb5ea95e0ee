package eventweb_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
)

// areaPrefixes are the addresses of this area's routes.
var areaPrefixes = []string{"/events", "/event-", "/signin/", "/my/events", "/api/v1/events", "/api/v1/event-", "/api/v1/my/events"}

// TestBranchTwoTouchesNothingOfBranchOne walks every route of the area as
// the secretary of 第二党支部, aimed at 第一党支部's event, its file and its
// organisation (越权): every answer is a refusal or a page without their
// data, and afterwards nothing of 第一党支部 has changed.
func TestBranchTwoTouchesNothingOfBranchOne(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		ctx := context.Background()
		e := meeting(t, w, w.Branch1.ID, "party_lecture")
		e.Title, e.Status, e.HeldStart, e.HeldEnd = "第一支部专题党课", event.Held, e.PlannedStart, e.PlannedEnd
		if err := w.Store.UpdateEvent(ctx, audit.System, auth.Everything, e, nil, false); err != nil {
			t.Fatal(err)
		}
		f := &store.EventFile{EventID: e.ID, Name: "记录.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")}
		if err := w.Store.AddEventFile(ctx, audit.System, auth.Everything, f); err != nil {
			t.Fatal(err)
		}
		before := eventSnapshot(t, w, e.ID)
		srv, err := web.New(w.Store, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), app.Areas()...)
		if err != nil {
			t.Fatal(err)
		}
		c := w.Login(t, "branch2")
		day := e.Days()[0].String()
		hostile := url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "kind_id": {webtest.Itoa(e.KindID)}, "title": {"越权"},
			"status": {"cancelled"}, "cancel_reason": {"越权"}, "version": {strconv.FormatInt(e.Version, 10)}, "place": {"越权"},
			"planned_start": {"2026-06-30 09:00"}, "planned_end": {"2026-06-30 10:00"}, "qr_signin": {"false"},
			"marks.person_id": {webtest.Itoa(w.P1.ID)}, "marks.day": {day}, "marks.mark": {"absent"}, "marks.leave_reason": {""},
			"marks.made_up_on": {""}, "marks.makeup_how": {""}, "code": {"0.AAAA"}, "p": {"0.AAAA"}, "name": {"越权类型"},
			"category": {"meeting"}, "audience": {"members"}, "org_kind": {"branch"}, "period": {"month"}, "times": {"1"}}
		walked := 0
		for _, rt := range srv.Routes() {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			if !ours(pattern) {
				continue
			}
			walked++
			target := strings.NewReplacer("{id}", webtest.Itoa(e.ID), "{fid}", webtest.Itoa(f.ID)).Replace(pattern)
			if strings.Contains(pattern, "event-settings") {
				target = strings.ReplaceAll(pattern, "{id}", webtest.Itoa(w.Branch1.ID))
			}
			var res webtest.Response
			switch {
			case method == "GET":
				res = c.Get(target + "?org=" + webtest.Itoa(w.Branch1.ID))
			case rt.API:
				body := map[string]any{}
				for k, v := range hostile {
					body[k] = v[0]
				}
				res = c.JSON(method, target, body)
			default:
				res = c.Form(target, hostile)
			}
			refused := map[int]bool{http.StatusForbidden: true, http.StatusNotFound: true, http.StatusUnprocessableEntity: true,
				http.StatusBadRequest: true}[res.Status]
			if res.Status == http.StatusOK && method == "GET" {
				refused = !strings.Contains(res.Body, w.Branch1.Name) && !strings.Contains(res.Body, w.P1.Name) && !strings.Contains(res.Body, e.Title)
			}
			if !refused {
				t.Errorf("%s %s as branch2: %d %.300s", method, target, res.Status, res.Body)
			}
		}
		if walked < 40 {
			t.Fatalf("only %d routes of the area walked", walked)
		}
		if after := eventSnapshot(t, w, e.ID); after != before {
			t.Errorf("第一党支部's event changed:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func ours(pattern string) bool {
	for _, p := range areaPrefixes {
		if strings.HasPrefix(pattern, p) {
			return true
		}
	}
	return false
}

// eventSnapshot is everything of the event a hostile request could change.
func eventSnapshot(t *testing.T, w *webtest.World, id int64) string {
	t.Helper()
	ctx := context.Background()
	e, err := w.Store.Event(ctx, auth.Everything, id)
	if err != nil {
		t.Fatal(err)
	}
	list, err := w.Store.EventAttendance(ctx, auth.Everything, id)
	if err != nil {
		t.Fatal(err)
	}
	files, err := w.Store.EventFiles(ctx, auth.Everything, id)
	if err != nil {
		t.Fatal(err)
	}
	on, err := w.Store.QRSignInOn(ctx, auth.Everything, w.Branch1.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds, _ := w.Store.EventKinds(ctx)
	rules, _ := w.Store.EventRules(ctx)
	s := fmt.Sprintf("%s v%d %s %s files:%d qr:%v kinds:%d rules:%d", e.Title, e.Version, e.Status, e.Place, len(files), on, len(kinds), len(rules))
	for _, a := range list {
		s += fmt.Sprintf(" %d/%s/%s", a.PersonID, a.Day, a.Mark)
	}
	return s
}
