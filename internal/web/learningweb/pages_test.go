package learningweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

func wantStatus(t *testing.T, what string, res webtest.Response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("%s: status %d, want %d: %.600s", what, res.Status, want, res.Body)
	}
}

func kindID(t *testing.T, w *webtest.World, code string) int64 {
	t.Helper()
	list, err := w.Store.EventKinds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range list {
		if k.Code == code {
			return k.ID
		}
	}
	t.Fatalf("no kind %s", code)
	return 0
}

// A member writes a note and a reflection and sees them with their
// characters; a bad one is refused beside its field and saves nothing.
func TestMemberWritesNotes(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	m := w.Login(t, "member")
	start := w.Clock.Now().Add(-72 * time.Hour)
	session := &event.Event{OrgID: w.Branch1.ID, KindID: kindID(t, w, "study_session"), Title: "周四集中学习", Status: event.Held,
		PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour), HeldStart: start, HeldEnd: start.Add(2 * time.Hour)}
	if err := w.Store.CreateEvent(context.Background(), audit.System, auth.Everything, session, nil); err != nil {
		t.Fatal(err)
	}
	campaign := &ledger.Campaign{OrgID: w.Root.ID, Name: "党史学习教育", StartsOn: date.MustParse("2026-03-01"), EndsOn: date.MustParse("2026-12-31")}
	if err := w.Store.SaveCampaign(context.Background(), audit.System, auth.Everything, campaign); err != nil {
		t.Fatal(err)
	}
	form := m.Get("/my/learning")
	if !strings.Contains(form.Body, `<option value="`+webtest.Itoa(session.ID)+`">`) {
		t.Error("the note form does not offer the session the member was expected at")
	}
	if !strings.Contains(form.Body, `<option value="`+webtest.Itoa(campaign.ID)+`">党史学习教育</option>`) {
		t.Error("the note form does not offer the committee's campaign")
	}
	res := m.Form("/my/learning/notes", url.Values{"kind": {"note"}, "title": {"学习二十大报告"}, "event_id": {webtest.Itoa(session.ID)},
		"campaign_id": {webtest.Itoa(campaign.ID)},
		"body":        {"坚持党对政法工作的绝对领导，\n锻造忠诚干净担当的政法铁军。"}})
	wantStatus(t, "a note", res, http.StatusSeeOther)
	page := m.Get("/my/learning")
	wantStatus(t, "我的学习", page, http.StatusOK)
	for _, want := range []string{"学习二十大报告", `<span class="chars">28</span> 字 · 周四集中学习 · 党史学习教育`, "2026年学时", "/ <span id=\"my-required\">32</span> 学时", `id="my-note-chars">28<`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("我的学习 does not show %q", want)
		}
	}
	long := strings.Repeat("学习贯彻习近平新时代中国特色社会主义思想。", 300) // 6,300 characters: more than a form field's 2,000
	res = m.JSON("POST", "/api/v1/my/learning/notes", map[string]any{"kind": "reflection", "title": "心得体会", "body": long})
	wantStatus(t, "a long reflection through the API", res, http.StatusCreated)
	if f := decode(t, res); f["chars"] != float64(6300) {
		t.Errorf("the reflection counted %v characters", f["chars"])
	}
	bad := m.Form("/my/learning/notes", url.Values{"kind": {"note"}, "title": {""}, "body": {"短"}})
	wantStatus(t, "a bad note", bad, http.StatusUnprocessableEntity)
	for _, want := range []string{"正文至少10个字", `data-field="title"`} {
		if !strings.Contains(bad.Body, want) {
			t.Errorf("the refused note does not say %q", want)
		}
	}
	notes, total, err := w.Store.LearningNotes(context.Background(), auth.Everything, store.NoteFilter{})
	if err != nil || total != 2 {
		t.Fatalf("%d notes saved, want 2: %v", total, err)
	}
	// Another member's note is not there for them; the API says the same.
	other := m.Get("/my/learning/notes/999999")
	wantStatus(t, "a note that is not theirs", other, http.StatusNotFound)
	mine := m.Get("/api/v1/my/learning")
	wantStatus(t, "my learning (API)", mine, http.StatusOK)
	if f := decode(t, mine); f["required"] != "32" || len(f["notes"].([]any)) != 2 || f["note_chars"] != float64(28) {
		t.Errorf("my learning: %v", f)
	}
	// Edit, then delete.
	id := webtest.Itoa(notes[1].ID) // the older: the note
	res = m.Form("/my/learning/notes/"+id, url.Values{"kind": {"note"}, "title": {"学习二十大报告（修改）"}, "body": {"坚持党对政法工作的绝对领导，锻造铁军。"}, "version": {"1"}})
	wantStatus(t, "an edit", res, http.StatusSeeOther)
	if n, _ := w.Store.LearningNote(context.Background(), auth.Everything, notes[1].ID); n.Chars != 19 || n.Version != 2 {
		t.Errorf("after the edit: %d characters, version %d", n.Chars, n.Version)
	}
	stale := m.Form("/my/learning/notes/"+id, url.Values{"kind": {"note"}, "title": {"旧的"}, "body": {"这是一次基于旧版本的修改内容。"}, "version": {"1"}})
	wantStatus(t, "an edit of an old version", stale, http.StatusConflict)
	wantStatus(t, "a delete", m.Form("/my/learning/notes/"+id+"/delete", nil), http.StatusSeeOther)
	if _, total, _ := w.Store.LearningNotes(context.Background(), auth.Everything, store.NoteFilter{}); total != 1 {
		t.Errorf("%d notes after the delete", total)
	}
}

// The branch secretary writes a plan with 每周四集中学习, creates its
// sessions, adds a link and a file to the library (a disguised page is
// refused), and exports the 学时 table.
func TestSecretaryPlansMaterialsAndHours(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	b1 := w.Login(t, "branch1")
	for path, wants := range map[string][]string{
		"/learning/plans":     {"学习计划", "新建学习计划", "每周四", "集中学习"},
		"/learning/materials": {"学习资料", "添加资料"},
		"/learning/hours":     {"学时统计", "导出 Excel", w.P1.Name},
	} {
		res := b1.Get(path)
		wantStatus(t, path, res, http.StatusOK)
		for _, want := range wants {
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s does not show %q", path, want)
			}
		}
	}
	study := webtest.Itoa(kindID(t, w, "study_session"))
	res := b1.Form("/learning/plans", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "title": {"七月学习计划"}, "from": {"2026-07-01"}, "to": {"2026-07-31"},
		"schedules.title": {"周四集中学习", "", ""}, "schedules.kind_id": {study, study, study}, "schedules.repeat": {"weekly", "weekly", "weekly"},
		"schedules.weekday": {"4", "4", "4"}, "schedules.monthday": {"", "", ""}, "schedules.start": {"15:00", "15:00", "15:00"},
		"schedules.minutes": {"120", "120", "120"}, "schedules.place": {"党员活动室", "", ""}})
	wantStatus(t, "a plan", res, http.StatusSeeOther)
	plan := res.Header.Get("Location")
	res = b1.Form(strings.TrimSuffix(strings.Split(plan, "?")[0], "/")+"/sessions", nil)
	wantStatus(t, "creating sessions", res, http.StatusSeeOther)
	page := b1.Get(res.Header.Get("Location"))
	for _, want := range []string{"七月学习计划", "周四集中学习", `<span id="created">5</span>`, "学习场次（5）", "2026-07-02 15:00"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the plan page does not show %q", want)
		}
	}
	// A plan with a 支委会 schedule is refused in words.
	committee := webtest.Itoa(kindID(t, w, "branch_committee"))
	bad := b1.Form("/learning/plans", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "title": {"错"}, "from": {"2026-07-01"}, "to": {"2026-07-31"},
		"schedules.title": {"支委会"}, "schedules.kind_id": {committee}, "schedules.repeat": {"weekly"}, "schedules.weekday": {"1"},
		"schedules.start": {"09:00"}, "schedules.minutes": {"60"}})
	wantStatus(t, "a 支委会 plan", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.Body, "固定安排只能是计入学习的活动类型") {
		t.Error("the refused plan does not say why")
	}

	res = b1.Form("/learning/materials", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "title": {"党的二十大报告"}, "url": {"https://www.gov.cn/"}})
	wantStatus(t, "a link", res, http.StatusSeeOther)
	html := []byte("<html><script>alert(1)</script></html>")
	res = uploadForm(b1, w.URL+"/learning/materials", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "title": {"伪装的网页"}}, "学习.pdf", html)
	wantStatus(t, "a page named .pdf", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "只能上传PDF") {
		t.Error("the refused upload does not say what is taken")
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	res = uploadForm(b1, w.URL+"/learning/materials", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "title": {"学习材料汇编"}}, "汇编.html", pdf)
	wantStatus(t, "a pdf", res, http.StatusSeeOther)
	list, _ := w.Store.LearningMaterials(ctx, auth.Everything)
	if len(list) != 2 || list[0].FileName != "汇编.pdf" {
		t.Fatalf("materials: %+v", list)
	}
	// The member downloads it: an attachment, never inline.
	m := w.Login(t, "member")
	dl := m.Get("/learning/materials/" + webtest.Itoa(list[0].ID) + "/file")
	wantStatus(t, "the member's download", dl, http.StatusOK)
	if cd := dl.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || dl.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("download headers: %q %q", cd, dl.Header.Get("Content-Type"))
	}

	// 张伟 attended one of two 2-学时 sessions; the table and its export say so.
	e := &event.Event{OrgID: w.Branch1.ID, KindID: kindID(t, w, "study_session"), Status: event.Held,
		PlannedStart: w.Clock.Now().Add(-48 * time.Hour), PlannedEnd: w.Clock.Now().Add(-46 * time.Hour)}
	e.HeldStart, e.HeldEnd = e.PlannedStart, e.PlannedEnd
	if err := w.Store.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Store.MarkAttendance(ctx, audit.System, auth.Everything, e.ID, []event.MarkInput{{PersonID: w.P1.ID, Mark: event.Present}}, event.BySecretary); err != nil {
		t.Fatal(err)
	}
	table := b1.Get("/learning/hours?org=" + webtest.Itoa(w.Branch1.ID) + "&from=2026-01-01&to=2026-12-31")
	if !strings.Contains(table.Body, `data-label="学时">2</td>`) || !strings.Contains(table.Body, `id="met">0/1<`) {
		t.Errorf("the 学时 table does not show 张伟's 2 学时:\n%.3000s", table.Body)
	}
	x := b1.Get("/learning/hours.xlsx?org=" + webtest.Itoa(w.Branch1.ID) + "&from=2026-01-01&to=2026-12-31")
	wantStatus(t, "the export", x, http.StatusOK)
	f, err := excelize.OpenReader(strings.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("学时统计")
	if err != nil || len(rows) != 3 || rows[2][0] != w.P1.Name || rows[2][4] != "2" || rows[2][5] != "32" || rows[2][6] != "否" {
		t.Errorf("the workbook: %v %v", rows, err)
	}
	api := b1.Get("/api/v1/learning/hours?org=" + webtest.Itoa(w.Branch1.ID) + "&year=2026")
	if fl := decode(t, api); fl["met"].(map[string]any)["den"] != float64(1) {
		t.Errorf("hours API: %v", fl)
	}
	// The drill-down of the notes figures opens.
	wantStatus(t, "notes of the branch", b1.Get("/learning/notes/all?org="+webtest.Itoa(w.Branch1.ID)+"&kind=note"), http.StatusOK)
}

// uploadForm posts a form with a file as the multipart field "file".
func uploadForm(c *webtest.Client, addr string, vals url.Values, name string, data []byte) webtest.Response {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range vals {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", addr, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

func decode(t *testing.T, res webtest.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(res.Body), &m); err != nil {
		t.Fatalf("not JSON (%d): %.300s", res.Status, res.Body)
	}
	return m
}

// The system administrator sets the yearly requirement; a member then sees
// the new one, and a requirement of nothing is refused in words.
func TestAdministratorSetsRequirement(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	admin := w.Login(t, "sysadmin")
	page := admin.Get("/learning/requirement")
	wantStatus(t, "学时要求", page, http.StatusOK)
	if !strings.Contains(page.Body, `value="32"`) || !strings.Contains(page.Body, `value="56"`) {
		t.Error("the page does not show the default 32 and 56")
	}
	bad := admin.Form("/learning/requirement", url.Values{"member": {"0"}, "committee": {"56"}})
	wantStatus(t, "a requirement of nothing", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.Body, "学时要求应在1到500学时之间") {
		t.Error("the refusal does not say the range")
	}
	wantStatus(t, "40 and 60.5", admin.Form("/learning/requirement", url.Values{"member": {"40"}, "committee": {"60.5"}}), http.StatusSeeOther)
	mine := w.Login(t, "member").Get("/my/learning")
	if !strings.Contains(mine.Body, `<span id="my-required">40</span>`) {
		t.Error("the member does not see the new requirement of 40")
	}
	wantStatus(t, "a secretary may not set it", w.Login(t, "branch1").Get("/learning/requirement"), http.StatusForbidden)
}

// The API takes a plan with its schedules as JSON, as the OpenAPI document
// describes it, and creates its sessions.
func TestPlanThroughAPI(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	b1 := w.Login(t, "branch1")
	res := b1.JSON("POST", "/api/v1/learning/plans", map[string]any{"org_id": w.Branch1.ID, "title": "八月学习计划", "from": "2026-08-01", "to": "2026-08-31",
		"schedules": []map[string]any{
			{"kind_id": kindID(t, w, "study_session"), "title": "周五业务课堂", "repeat": "weekly", "weekday": 5, "start": "16:00", "minutes": 90},
			{"kind_id": kindID(t, w, "seminar"), "title": "月末专题研讨", "repeat": "monthly", "monthday": 31, "start": "09:00", "minutes": 120},
		}})
	wantStatus(t, "a plan through the API", res, http.StatusCreated)
	id := int64(decode(t, res)["id"].(float64))
	res = b1.JSON("POST", "/api/v1/learning/plans/"+webtest.Itoa(id)+"/sessions", nil)
	wantStatus(t, "its sessions", res, http.StatusOK)
	// Fridays of August 2026: 7, 14, 21, 28; and the 31st.
	if got := decode(t, res)["created"]; got != float64(5) {
		t.Errorf("created %v sessions, want 5", got)
	}
	// The plan is edited with the version it was read at; an edit of an old
	// version is refused and changes nothing.
	edit := map[string]any{"org_id": w.Branch1.ID, "title": "八月学习计划（调整）", "from": "2026-08-01", "to": "2026-08-31", "version": 1,
		"schedules": []map[string]any{{"kind_id": kindID(t, w, "study_session"), "title": "周四集中学习", "repeat": "weekly", "weekday": 4, "start": "15:00", "minutes": 120}}}
	wantStatus(t, "an edit", b1.JSON("PUT", "/api/v1/learning/plans/"+webtest.Itoa(id), edit), http.StatusOK)
	wantStatus(t, "an edit of version 1 again", b1.JSON("PUT", "/api/v1/learning/plans/"+webtest.Itoa(id), edit), http.StatusConflict)
	if p, _ := w.Store.LearningPlan(context.Background(), auth.Everything, id); p.Title != "八月学习计划（调整）" || len(p.Schedules) != 1 || p.Version != 2 {
		t.Errorf("after the edit: %+v", p)
	}
	wantStatus(t, "another branch's plan", w.Login(t, "branch2").JSON("PUT", "/api/v1/learning/plans/"+webtest.Itoa(id), edit), http.StatusNotFound)
	// Each session's list is frozen at its start by the job every planned event gets.
	sessions, err := w.Store.PlanSessions(context.Background(), auth.Everything, id)
	if err != nil || len(sessions) != 5 {
		t.Fatalf("%d sessions: %v", len(sessions), err)
	}
	for _, e := range sessions {
		j, err := w.Store.JobByKey(context.Background(), "event.freeze:"+webtest.Itoa(e.ID)+":"+webtest.Itoa(e.PlannedStart.Unix()))
		if err != nil || !j.DueAt.Equal(e.PlannedStart) {
			t.Errorf("no freeze job at the start of %s: %v", e.Title, err)
		}
	}
	doc := b1.Get("/api/v1/openapi.json")
	if doc.Status == http.StatusOK && !strings.Contains(doc.Body, "/api/v1/learning/plans") {
		t.Error("the OpenAPI document does not list the plans")
	}
}

// TestSecretaryEditsAPlanOnItsPage: the plan's page offers its form filled
// in (its schedules, its readings ticked); saving it replaces the
// schedules and keeps the sessions made; an edit of an older version, or
// with a plan name missing, is shown again with the reason and changes
// nothing; another branch cannot post to it.
func TestSecretaryEditsAPlanOnItsPage(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	b1 := w.Login(t, "branch1")
	study := webtest.Itoa(kindID(t, w, "study_session"))
	res := b1.Form("/learning/materials", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "title": {"党章"}, "url": {"https://www.gov.cn/"}})
	wantStatus(t, "a reading", res, http.StatusSeeOther)
	materials, err := w.Store.LearningMaterials(ctx, auth.Everything)
	if err != nil || len(materials) != 1 {
		t.Fatalf("materials: %v %v", materials, err)
	}
	reading := webtest.Itoa(materials[0].ID)
	res = b1.Form("/learning/plans", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "title": {"七月学习计划"}, "from": {"2026-07-01"}, "to": {"2026-07-31"},
		"schedules.title": {"周四集中学习"}, "schedules.kind_id": {study}, "schedules.repeat": {"weekly"}, "schedules.weekday": {"4"},
		"schedules.monthday": {""}, "schedules.start": {"15:00"}, "schedules.minutes": {"120"}, "schedules.place": {"党员活动室"}, "readings": {reading}})
	wantStatus(t, "a plan", res, http.StatusSeeOther)
	planURL := strings.Split(res.Header.Get("Location"), "?")[0]
	id, _ := strconv.ParseInt(strings.TrimPrefix(planURL, "/learning/plans/"), 10, 64)
	wantStatus(t, "its sessions", b1.Form(planURL+"/sessions", nil), http.StatusSeeOther)

	page := b1.Get(planURL)
	for _, want := range []string{`id="edit-plan"`, `action="/learning/plans/` + webtest.Itoa(id) + `"`, `name="version" value="1"`,
		`value="周四集中学习"`, `value="党员活动室"`, `name="readings" value="` + reading + `" checked`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the plan's form lacks %s", want)
		}
	}
	edit := url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "version": {"1"}, "title": {"七月学习计划（调整）"}, "from": {"2026-07-01"}, "to": {"2026-07-31"},
		"schedules.title": {"", "周五业务课堂"}, "schedules.kind_id": {study, study}, "schedules.repeat": {"weekly", "weekly"}, "schedules.weekday": {"4", "5"},
		"schedules.monthday": {"", ""}, "schedules.start": {"15:00", "16:00"}, "schedules.minutes": {"120", "90"}, "schedules.place": {"", ""}}
	res = b1.Form(planURL, edit)
	wantStatus(t, "the edit", res, http.StatusSeeOther)
	page = b1.Get(res.Header.Get("Location"))
	for _, want := range []string{"学习计划已保存", "七月学习计划（调整）", "周五业务课堂", "学习场次（5）"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("after the edit the page does not show %q", want)
		}
	}
	p, err := w.Store.LearningPlan(ctx, auth.Everything, id)
	if err != nil || p.Version != 2 || len(p.Schedules) != 1 || p.Schedules[0].Title != "周五业务课堂" || len(p.Readings) != 0 {
		t.Fatalf("after the edit: %+v (%v)", p, err)
	}

	// The same form again (version 1): someone saved meanwhile.
	edit.Set("title", "七月学习计划（旧）")
	stale := b1.Form(planURL, edit)
	wantStatus(t, "an edit of version 1 again", stale, http.StatusConflict)
	if !strings.Contains(stale.Body, `<details class="card" id="edit-plan" open>`) || !strings.Contains(stale.Body, "七月学习计划（旧）") {
		t.Errorf("the refused edit is not shown again in its form")
	}
	edit.Set("version", "2")
	edit.Set("title", "")
	missing := b1.Form(planURL, edit)
	wantStatus(t, "an edit without a name", missing, http.StatusUnprocessableEntity)
	if !strings.Contains(missing.Body, "此项必填") {
		t.Errorf("the edit without a name does not say what is missing:\n%.2000s", missing.Body)
	}
	if p, _ := w.Store.LearningPlan(ctx, auth.Everything, id); p.Version != 2 || p.Title != "七月学习计划（调整）" {
		t.Errorf("refused edits changed the plan: %+v", p)
	}
	edit.Set("title", "别人的计划")
	wantStatus(t, "another branch's edit", w.Login(t, "branch2").Form(planURL, edit), http.StatusNotFound)
}
