package notifyweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// tomorrowSession plans a 集中学习 of 第一党支部 at 09:00 tomorrow (the
// world's clock reads 2026-06-30 17:00 in China), with 张伟 (the member
// account) expected.
func tomorrowSession(t *testing.T, w *webtest.World) *event.Event {
	t.Helper()
	ctx := context.Background()
	kinds, err := w.Store.EventKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e := &event.Event{OrgID: w.Branch1.ID, Title: "七月集中学习", Place: "三楼会议室",
		PlannedStart: chinaTime("2026-07-01", "09:00"), PlannedEnd: chinaTime("2026-07-01", "11:00")}
	for _, k := range kinds {
		if k.Code == "study_session" {
			e.KindID = k.ID
		}
	}
	if err := w.Store.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// nextScan lets an hour pass and waits for the scheduled scan to run.
func nextScan(t *testing.T, w *webtest.World) {
	t.Helper()
	w.Clock.Advance(time.Hour)
	key := "remind.scan@" + w.Clock.Now().Truncate(time.Hour).UTC().Format(time.RFC3339)
	deadline := time.Now().Add(20 * time.Second)
	for {
		w.Server.WakeJobs()
		j, err := w.Store.JobByKey(context.Background(), key)
		if err == nil && (j.Status == "done" || j.Status == "failed") {
			if j.Status == "failed" {
				t.Fatalf("the scan failed: %s", j.Error)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scan %s did not run (%v)", key, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestNotificationCentre: the hourly job reminds a member of tomorrow's
// session; the header counts it, the centre lists it, opening it marks it
// read and goes to the member's meetings; nobody else can read it.
func TestNotificationCentre(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	e := tomorrowSession(t, w)
	nextScan(t, w)
	member := w.Login(t, "member")
	badge := func() string {
		req, _ := http.NewRequest("GET", w.URL+"/notifications/badge", nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "notify-badge")
		return member.Do(req).Body
	}
	if b := badge(); !strings.Contains(b, `<span class="badge">1</span>`) || strings.Contains(b, "<html") {
		t.Fatalf("the header's badge: %s", b)
	}
	page := member.Get("/notifications")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "活动提醒：七月集中学习") || !strings.Contains(page.Body, "7月1日 09:00") {
		t.Fatalf("the centre: %d %s", page.Status, page.Body)
	}
	list := member.Get("/api/v1/notifications").Decode(t)
	items, _ := list["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("API list: %v", list)
	}
	n := items[0].(map[string]any)
	id := webtest.Itoa(int64(n["id"].(float64)))
	if n["link"] != "/my/events#event-"+webtest.Itoa(e.ID) || n["read"] != false || n["kind_label"] != "活动提醒" {
		t.Fatalf("API item: %v", n)
	}
	// Another user cannot read it or mark it read.
	other := w.Login(t, "branch2")
	if res := other.JSON("POST", "/api/v1/notifications/"+id+"/read", nil); res.Status != http.StatusNotFound {
		t.Fatalf("another user marks it read: %d %s", res.Status, res.Body)
	}
	if res := other.Get("/notifications/" + id + "/open"); res.Status != http.StatusNotFound {
		t.Fatalf("another user opens it: %d", res.Status)
	}
	if c := other.Get("/api/v1/notifications/unread-count").Decode(t); c["unread"] != float64(0) {
		t.Fatalf("branch2's unread: %v", c)
	}
	open := member.Get("/notifications/" + id + "/open")
	if open.Status != http.StatusSeeOther || open.Header.Get("Location") != "/my/events#event-"+webtest.Itoa(e.ID) {
		t.Fatalf("opening it: %d → %q", open.Status, open.Header.Get("Location"))
	}
	if mine := member.Get("/my/events"); !strings.Contains(mine.Body, `id="event-`+webtest.Itoa(e.ID)+`"`) {
		t.Fatalf("the member's meetings do not show the event it links to: %s", mine.Body)
	}
	if c := member.Get("/api/v1/notifications/unread-count").Decode(t); c["unread"] != float64(0) {
		t.Fatalf("unread after opening: %v", c)
	}
	if b := badge(); strings.Contains(b, `class="badge"`) {
		t.Fatalf("the badge after reading: %s", b)
	}
	entries, _, err := w.Store.AuditEntries(context.Background(), webtest.AuditFilter("member", "notification.read"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("reading is audited: %d entries (%v)", len(entries), err)
	}
	// The unread filter, and the API's description.
	if l := member.Get("/api/v1/notifications?unread=true").Decode(t); l["total"] != float64(0) {
		t.Fatalf("unread after opening: %v", l)
	}
	doc := member.Get("/api/v1/openapi.json")
	for _, want := range []string{`"/api/v1/notifications"`, `"/api/v1/notifications/{id}/read"`, `"/api/v1/notifications/unread-count"`, `"notificationOut"`, `"/api/v1/admin/jobs"`} {
		if !strings.Contains(doc.Body, want) {
			t.Errorf("the OpenAPI document lacks %s", want)
		}
	}
	// Read all: nothing unread is fine, and says so.
	if res := member.Form("/notifications/read-all", url.Values{}); res.Status != http.StatusSeeOther {
		t.Fatalf("read all: %d %s", res.Status, res.Body)
	}
	if res := member.Get("/notifications?notice=read_all"); !strings.Contains(res.Body, "已全部标为已读") {
		t.Fatalf("read-all notice missing")
	}
}

// TestJobsPage: the system administrator sees each scheduled job with its
// last run, outcome and next run; nobody else may open the page.
func TestJobsPage(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	tomorrowSession(t, w)
	nextScan(t, w)
	admin := w.Login(t, "sysadmin")
	page := admin.Get("/admin/jobs")
	if page.Status != http.StatusOK {
		t.Fatalf("jobs page: %d %s", page.Status, page.Body)
	}
	for _, want := range []string{"提醒扫描与发送（每小时）", "成功", "2026-06-30 19:00", "定时备份", "已发送 1 条", "新增提醒1条，发送1条，失败0条"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the jobs page lacks %q", want)
		}
	}
	api := admin.Get("/api/v1/admin/jobs").Decode(t)
	found := false
	for _, k := range api["kinds"].([]any) {
		k := k.(map[string]any)
		if k["kind"] == "remind.scan" {
			found = true
			if k["last_status"] != "done" || k["next_due"] != "2026-06-30T11:00:00Z" || !strings.Contains(k["last_outcome"].(string), `"sent":1`) {
				t.Errorf("the scan in the API: %v", k)
			}
		}
	}
	if !found {
		t.Errorf("the API lists no reminder scan: %v", api)
	}
	for _, who := range []string{"member", "committee", "secadmin", "auditor"} {
		c := w.Login(t, who)
		if res := c.Get("/admin/jobs"); res.Status != http.StatusForbidden {
			t.Errorf("%s opens the jobs page: %d", who, res.Status)
		}
		if res := c.Get("/api/v1/admin/jobs"); res.Status != http.StatusForbidden {
			t.Errorf("%s reads the jobs API: %d", who, res.Status)
		}
	}
}

func chinaTime(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, event.China)
	if err != nil {
		panic(err)
	}
	return t
}
