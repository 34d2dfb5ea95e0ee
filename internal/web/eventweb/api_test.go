package eventweb_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// TestEventThroughTheAPI plans an event, edits it with PATCH (only the
// fields sent change; version required; a stale version refused), marks
// its attendance and reads the calendar and the figures.
func TestEventThroughTheAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "branch1")
		k := kinds(t, w)
		now := w.Clock.Now().In(China)
		start := now.Format("2006-01-02") + " 09:00"
		res := c.JSON("POST", "/api/v1/events", map[string]any{"org_id": w.Branch1.ID, "kind_id": k["party_lecture"].ID,
			"planned_start": start, "planned_end": now.Format("2006-01-02") + " 11:00", "place": "党员活动室",
			"speakers": []map[string]any{{"name": "陈教授", "title": "市委党校教授", "topic": "党史", "person_id": ""}}})
		wantStatus(t, "create", res, http.StatusCreated)
		ev := res.Decode(t)
		id := strconv.Itoa(int(ev["id"].(float64)))
		if ev["title"] != "党课" || ev["credit"] != "2" || ev["status"] != "planned" {
			t.Fatalf("created %v", ev)
		}

		bad := c.JSON("POST", "/api/v1/events", map[string]any{"org_id": w.Branch1.ID, "kind_id": k["party_lecture"].ID,
			"planned_start": start, "planned_end": start, "title": strings.Repeat("长", 101)})
		wantStatus(t, "a bad event", bad, http.StatusUnprocessableEntity)
		f := webtest.Fields(t, bad)
		if f["title"] != "标题不超过100个字" || f["planned_end"] != "结束时间应晚于开始时间" {
			t.Errorf("messages beside the fields: %v", f)
		}

		res = c.JSON("PATCH", "/api/v1/events/"+id, map[string]any{"place": "三楼会议室"})
		wantStatus(t, "PATCH without version", res, http.StatusUnprocessableEntity)
		res = c.JSON("PATCH", "/api/v1/events/"+id, map[string]any{"place": "三楼会议室", "version": 1})
		wantStatus(t, "PATCH", res, http.StatusOK)
		got := res.Decode(t)
		if got["place"] != "三楼会议室" || got["title"] != "党课" || len(got["speakers"].([]any)) != 1 || got["version"].(float64) != 2 {
			t.Errorf("after a PATCH of the place: %v", got)
		}
		res = c.JSON("PATCH", "/api/v1/events/"+id, map[string]any{"place": "别处", "version": 1})
		wantStatus(t, "a stale PATCH", res, http.StatusConflict)

		res = c.JSON("PATCH", "/api/v1/events/"+id, map[string]any{"status": "held", "version": 2})
		wantStatus(t, "hold", res, http.StatusOK)
		att := c.Get("/api/v1/events/" + id + "/attendance")
		wantStatus(t, "attendance", att, http.StatusOK)
		items := att.Decode(t)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["name"] != w.P1.Name {
			t.Fatalf("the list of 第一党支部's 党课: %v", items)
		}
		day := now.Format("2006-01-02")
		res = c.JSON("POST", "/api/v1/events/"+id+"/attendance", map[string]any{"marks": []map[string]any{
			{"person_id": w.P1.ID, "day": day, "mark": "leave", "leave_reason": "", "made_up_on": "", "makeup_how": ""}}})
		wantStatus(t, "a leave without reason", res, http.StatusUnprocessableEntity)
		res = c.JSON("POST", "/api/v1/events/"+id+"/attendance", map[string]any{"marks": []map[string]any{
			{"person_id": w.P1.ID, "day": day, "mark": "present", "leave_reason": "", "made_up_on": "", "makeup_how": ""}}})
		wantStatus(t, "marks", res, http.StatusOK)
		if res.Decode(t)["changed"].(float64) != 1 {
			t.Errorf("marks: %s", res.Body)
		}

		fig := c.Get("/api/v1/events/figures?from=" + day + "&to=" + day)
		wantStatus(t, "figures", fig, http.StatusOK)
		cur := fig.Decode(t)["current"].(map[string]any)
		if cur["person_times"].(float64) != 1 || cur["speaker_times"].(float64) != 1 || cur["hours"] != "2" {
			t.Errorf("figures: %v", cur)
		}
		cal := c.Get("/api/v1/events/calendar?month=" + now.Format("2006-01"))
		wantStatus(t, "calendar", cal, http.StatusOK)
		if evs := cal.Decode(t)["events"].([]any); len(evs) != 1 {
			t.Errorf("calendar events: %v", evs)
		}
		doc := c.Get("/api/v1/openapi.json")
		for _, want := range []string{`"/api/v1/events/{id}"`, `"patch"`, `"eventOut"`, `"figuresOut"`} {
			if !strings.Contains(doc.Body, want) {
				t.Errorf("the OpenAPI document lacks %s", want)
			}
		}
		if _, err := w.Store.Event(context.Background(), auth.Scope{OrgPath: w.Branch2.Path}, int64(ev["id"].(float64))); err == nil {
			t.Error("branch 2's scope reads the event")
		}
	})
}
