package ledgerweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestCampaignPages: the committee sets up a campaign with its 领导小组; a
// 实施方案 that is not a PDF, Word document or image is refused, a PDF is
// kept and only ever downloaded; an event of a branch joins the campaign
// from the event form, one of another campaign's reach is refused beside
// the field; the campaign's page counts its events and items alone.
func TestCampaignPages(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	res := c.Form("/campaigns", url.Values{"org_id": {webtest.Itoa(w.Root.ID)}, "name": {""}, "kind": {"study"}, "starts_on": {"2026-03-01"}, "ends_on": {"2026-02-01"}})
	wantStatus(t, "a bad campaign", res, http.StatusUnprocessableEntity)
	for _, want := range []string{"请填写专题教育名称", "结束日期不能早于开始日期"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the form does not say %q", want)
		}
	}
	res = c.Form("/campaigns", url.Values{"org_id": {webtest.Itoa(w.Root.ID)}, "name": {"党史学习教育"}, "kind": {"study"},
		"starts_on": {"2026-03-01"}, "ends_on": {"2026-12-31"}, "plan": {"一、总体要求"}})
	wantStatus(t, "a campaign", res, http.StatusSeeOther)
	page := res.Header.Get("Location")
	id := strings.TrimPrefix(strings.Split(page, "?")[0], "/campaigns/")

	res = c.Upload("/campaigns/"+id+"/plan", "实施方案.pdf", []byte("<html><script>alert(1)</script></html>"))
	wantStatus(t, "an HTML plan", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "实施方案只能上传PDF、Word文档或图片") {
		t.Fatal("the refusal does not say which files are taken")
	}
	res = c.Upload("/campaigns/"+id+"/plan", "实施方案.doc", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
	wantStatus(t, "a PDF plan", res, http.StatusSeeOther)
	dl := c.Get("/campaigns/" + id + "/plan")
	if dl.Status != 200 || dl.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(dl.Header.Get("Content-Disposition"), url.PathEscape("实施方案.pdf")) {
		t.Fatalf("the download: %d %v", dl.Status, dl.Header)
	}

	// A branch's event joins the committee's campaign; branch 2's own
	// campaign does not cover 第一党支部.
	ctx := context.Background()
	own := &ledger.Campaign{OrgID: w.Branch2.ID, Name: "第二党支部读书月", StartsOn: date.MustParse("2026-06-01"), EndsOn: date.MustParse("2026-06-30")}
	if err := w.Store.SaveCampaign(ctx, audit.System, auth.Everything, own); err != nil {
		t.Fatal(err)
	}
	b1 := w.Login(t, "branch1")
	kinds, _ := w.Store.EventKinds(ctx)
	var study int64
	for _, k := range kinds {
		if k.Code == "study_session" {
			study = k.ID
		}
	}
	form := url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "kind_id": {webtest.Itoa(study)}, "planned_start": {"2026-07-02T09:00"},
		"planned_end": {"2026-07-02T11:00"}, "campaign_id": {webtest.Itoa(own.ID)}}
	res = b1.Form("/events", form)
	wantStatus(t, "an event in another branch's campaign", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `data-field="campaign_id"`) || !strings.Contains(res.Body, "该专题教育不存在或不覆盖该组织") {
		t.Fatalf("the refusal is not beside the campaign: %.300s", res.Body)
	}
	form.Set("campaign_id", id)
	res = b1.Form("/events", form)
	wantStatus(t, "an event of the campaign", res, http.StatusSeeOther)
	list, err := w.Store.Events(ctx, auth.Everything, store.EventFilter{})
	if err != nil || len(list.Items) != 1 || webtest.Itoa(list.Items[0].CampaignID) != id {
		t.Fatalf("the event's campaign: %+v %v", list.Items, err)
	}
	e := list.Items[0]
	e.Status, e.HeldStart, e.HeldEnd = event.Held, e.PlannedStart, e.PlannedEnd
	if err := w.Store.UpdateEvent(ctx, audit.System, auth.Everything, &e, nil, false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Store.MarkAttendance(ctx, audit.System, auth.Everything, e.ID,
		[]event.MarkInput{{PersonID: w.P1.ID, Mark: event.Present}}, event.BySecretary); err != nil {
		t.Fatal(err)
	}
	got := c.Get("/api/v1/campaigns/" + id).Decode(t)
	figs := got["figures"].(map[string]any)
	if got["plan_file"] != "实施方案.pdf" || figs["events_held"].(float64) != 1 || figs["person_times"].(float64) != 1 || figs["items_opened"].(float64) != 0 {
		t.Fatalf("the campaign through the API: %v", got)
	}
	if p := b1.Get("/campaigns/" + id); !strings.Contains(p.Body, "集中学习") || !strings.Contains(p.Body, "1 人次") {
		t.Fatalf("the campaign's page for the branch: %.600s", p.Body)
	}
	// The branch sees the committee's campaign but may not change it.
	res = b1.JSON("PATCH", "/api/v1/campaigns/"+id, map[string]any{"name": "改名", "version": 2})
	wantStatus(t, "a branch renames the committee's campaign", res, http.StatusForbidden)
}
