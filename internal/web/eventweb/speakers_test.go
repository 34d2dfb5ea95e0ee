package eventweb_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// A speaker comes through the person picker: its value is the person's
// number. One of the user's own organisation is saved and named; one outside
// the user's scope is refused in Chinese, without naming them; a form refused
// for another field shows the chosen speaker again.
func TestSpeakersThroughThePicker(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	b1 := w.Login(t, "branch1")
	k := kinds(t, w)["party_lecture"]
	post := func(speaker int64, place string) webtest.Response {
		return b1.Form("/events", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "kind_id": {webtest.Itoa(k.ID)},
			"planned_start": {"2026-06-30T09:00"}, "planned_end": {"2026-06-30T11:00"}, "place": {place}, "status": {"planned"},
			"speakers.person_id": {webtest.Itoa(speaker), ""}, "speakers.name": {"", ""}, "speakers.title": {"", ""}, "speakers.topic": {"党史", ""}})
	}
	count := func() int {
		page, err := w.Store.Events(context.Background(), auth.Everything, store.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return page.Total
	}

	// 李娜 belongs to 第二党支部: not branch1's to choose.
	res := post(w.P2.ID, "三楼会议室")
	wantStatus(t, "a speaker outside the scope", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "所选授课人不在您管理的范围内") {
		t.Errorf("the refusal does not say why: %.600s", res.Body)
	}
	if strings.Contains(res.Body, w.P2.Name) {
		t.Error("the refusal names the person outside the scope")
	}
	if n := count(); n != 0 {
		t.Fatalf("%d events after a refused speaker", n)
	}

	// Refused for its place, the form still holds 张伟 as the speaker.
	res = post(w.P1.ID, strings.Repeat("地", 101))
	wantStatus(t, "a long place", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `name="speakers.person_id" value="`+webtest.Itoa(w.P1.ID)+`"`) || !strings.Contains(res.Body, w.P1.Name) {
		t.Error("the refused form lost the chosen speaker")
	}

	// 张伟 of 第一党支部, picked by number, is saved and named.
	res = post(w.P1.ID, "三楼会议室")
	wantStatus(t, "a speaker of the branch", res, http.StatusSeeOther)
	page, err := w.Store.Events(context.Background(), auth.Everything, store.EventFilter{})
	if err != nil || page.Total != 1 {
		t.Fatalf("%v events after saving, err %v", page.Total, err)
	}
	e, err := w.Store.Event(context.Background(), auth.Everything, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Speakers) != 1 || e.Speakers[0].PersonID != w.P1.ID || e.Speakers[0].Name != w.P1.Name {
		t.Fatalf("speakers saved as %+v", e.Speakers)
	}
	show := b1.Get("/events/" + webtest.Itoa(e.ID))
	wantStatus(t, "the event", show, http.StatusOK)
	if !strings.Contains(show.Body, w.P1.Name) {
		t.Error("the event page does not name its speaker")
	}

	// A speaker the committee chose from another branch stays when the
	// branch edits its event; adding one from there is refused.
	e.Speakers = append(e.Speakers, event.Speaker{PersonID: w.P2.ID})
	if err := w.Store.UpdateEvent(context.Background(), audit.System, auth.Everything, e, nil, false); err != nil {
		t.Fatal(err)
	}
	e, _ = w.Store.Event(context.Background(), auth.Everything, e.ID)
	mine := auth.Scope{OrgPath: w.Branch1.Path}
	e.Place = "二楼会议室"
	if err := w.Store.UpdateEvent(context.Background(), audit.System, mine, e, nil, false); err != nil {
		t.Fatalf("the branch cannot edit an event whose speaker the committee chose: %v", err)
	}
	e, _ = w.Store.Event(context.Background(), auth.Everything, e.ID)
	e.Speakers = []event.Speaker{{PersonID: w.P1.ID}}
	if err := w.Store.UpdateEvent(context.Background(), audit.System, mine, e, nil, false); err != nil {
		t.Fatal(err)
	}
	e, _ = w.Store.Event(context.Background(), auth.Everything, e.ID)
	e.Speakers = append(e.Speakers, event.Speaker{PersonID: w.P2.ID})
	if err := w.Store.UpdateEvent(context.Background(), audit.System, mine, e, nil, false); !refused(err, "speakers", "event.speaker_out_of_scope") {
		t.Errorf("a speaker from another branch added by the branch: %v", err)
	}
}

// refused reports whether err is the store refusing field with key.
func refused(err error, field, key string) bool {
	var v *errs.Invalid
	return errors.As(err, &v) && v.Fields[field] == key
}
