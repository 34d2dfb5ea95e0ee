package auditweb_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/dict"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// everyKindOfRecord makes real records of the actions the modules write, each
// through the store function (or the route) that writes it in production.
func everyKindOfRecord(t *testing.T, w *webtest.World) {
	t.Helper()
	ctx := context.Background()
	st, a, all := w.Store, audit.Actor{Username: "committee", IP: "10.0.0.8", UserID: w.Users["committee"].ID}, auth.Everything
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// Every branch has a 第一党小组.
	g2 := org.Org{ParentID: w.Branch2.ID, Kind: org.Group, Name: "第一党小组"}
	must("org.create", st.CreateOrg(ctx, a, all, &g2))
	g2.Name, g2.Version = "第一党小组", 1
	g2.TermStart = date.MustParse("2024-03-01")
	must("org.update", st.UpdateOrg(ctx, a, all, &g2))
	extra := org.Org{ParentID: w.Branch1.ID, Kind: org.Group, Name: "临时党小组"}
	must("org.create", st.CreateOrg(ctx, a, all, &extra))
	must("org.move", st.MoveOrg(ctx, a, all, extra.ID, w.Branch2.ID, 1))
	must("org.close", st.CloseOrg(ctx, a, all, extra.ID, date.MustParse("2026-06-01")))

	// People: an edit of several fields, a transfer, an import.
	p, err := st.Person(ctx, all, w.P1.ID)
	must("read person", err)
	p.Position, p.Sex, p.Education = "科长", people.Male, "研究生"
	must("person.update", st.UpdatePerson(ctx, a, all, &p.Person))
	must("person.transfer", st.Transfer(ctx, a, all, &people.Transfer{PersonID: w.P2.ID, Direction: people.TransferMove,
		On: date.MustParse("2026-06-15"), FromOrgID: w.Branch2.ID, ToOrgID: g2.ID, Note: "党小组调整"}))
	imported := people.Person{OrgID: w.Group1.ID, Name: "赵敏", Status: people.Probationary, IDNumber: webtest.ValidID("19950101", "331"),
		JoinedOn: date.MustParse("2026-01-05"), Education: "大学本科", Ethnic: "汉族"}
	imported.Normalize()
	must("validate", imported.Validate(date.MustParse("2026-06-30")))
	must("person.import", st.ImportPeople(ctx, a, all, []people.Person{imported}, nil))

	// Committees and working groups.
	seat := org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: w.P1.ID, Position: "书记", Duty: "主持支部全面工作", From: date.MustParse("2024-03-01")}
	must("committee.add", st.AddCommitteeMember(ctx, a, all, &seat))
	must("committee.end", st.EndCommitteeMember(ctx, a, all, w.Branch1.ID, seat.ID, date.MustParse("2026-06-20")))
	g := org.WorkingGroup{OrgID: w.Root.ID, Name: "平安建设领导小组", Purpose: "统筹平安建设", Office: "政法委办公室", SetUpOn: date.MustParse("2026-02-01"),
		Members: []org.WorkingGroupMember{{PersonID: w.P1.ID, Role: org.GroupRole("leader")}, {PersonID: w.P2.ID, Role: org.GroupRole("member")}}}
	must("group.save", st.SaveWorkingGroup(ctx, a, all, &g))

	// Dictionaries.
	it := dict.Item{Dict: "education", Label: "党校研究生"}
	must("dict.create", st.SaveDictItem(ctx, a, &it))
	it.Aliases, it.Disabled = []string{"党校在职研究生"}, true
	must("dict.update", st.SaveDictItem(ctx, a, &it))

	// Events: kinds, rules, an event planned, held, frozen, marked, signed in.
	must("seed events", st.SeedEvents(ctx))
	kinds, err := st.EventKinds(ctx)
	must("kinds", err)
	k := kinds[0]
	k.Disabled = true
	must("event_kind.save", st.SaveEventKind(ctx, a, &k))
	rules, err := st.EventRules(ctx)
	must("rules", err)
	r := rules[0]
	r.Times++
	must("event_rule.save", st.SaveEventRule(ctx, a, &r))
	var meeting event.Kind
	for _, kk := range kinds {
		if kk.TakesAttendance && !kk.Disabled && kk.ID != k.ID && kk.Audience == event.Audience("members") {
			meeting = kk
			break
		}
	}
	day := func(s string) time.Time { t, _ := time.ParseInLocation("2006-01-02 15:04", s, event.China); return t }
	e := &event.Event{OrgID: w.Branch1.ID, KindID: meeting.ID, Title: "六月支部党员大会", PlannedStart: day("2026-06-29 09:00"), PlannedEnd: day("2026-06-29 11:00"), Place: "三楼会议室"}
	must("event.create", st.CreateEvent(ctx, a, all, e, nil))
	e.Status, e.HeldStart, e.HeldEnd = event.Held, e.PlannedStart, e.PlannedEnd
	must("event.update", st.UpdateEvent(ctx, a, all, e, nil, false))
	must("event.freeze", st.FreezeEvent(ctx, a, e.ID))
	_, err = st.MarkAttendance(ctx, a, all, e.ID, []event.MarkInput{{PersonID: w.P1.ID, Mark: event.Mark("leave"), LeaveReason: "出差"}}, event.BySecretary)
	must("event.mark", err)
	must("event.qr_setting", st.SetQRSignIn(ctx, a, all, w.Branch1.ID, false))

	// Accounts and logins, through the pages' own routes.
	must("user.unlock", st.Unlock(ctx, audit.Actor{Username: "secadmin", IP: "10.0.0.9"}, w.Users["branch2"].ID))
	must("user.disable", st.SetDisabled(ctx, audit.Actor{Username: "secadmin", IP: "10.0.0.9"}, w.Users["branch2"].ID, true))
	sec := audit.Actor{Username: "secadmin", IP: "10.0.0.9", UserID: w.Users["secadmin"].ID}
	sys := audit.Actor{Username: "sysadmin", IP: "10.0.0.7", UserID: w.Users["sysadmin"].ID}
	hash, _ := auth.HashPassword("Linshi#2026abcd")
	_, err = st.ResetPassword(ctx, sec, w.Users["branch1"].ID, hash)
	must("user.reset", err)
	proposed := &auth.User{Username: "wangfang", DisplayName: "王芳", Role: auth.BranchAdmin, OrgID: w.Branch2.ID}
	must("user.create (proposed)", st.ProposeUser(ctx, sys, proposed))
	_, err = st.ActivateUser(ctx, sec, proposed.ID, hash)
	must("user.activate", err)
	rejected := &auth.User{Username: "lisi", DisplayName: "李四", Role: auth.BranchAdmin, OrgID: w.Branch2.ID}
	must("user.create (proposed)", st.ProposeUser(ctx, sys, rejected))
	must("user.reject", st.RejectUser(ctx, sec, rejected.ID))
	must("policy.second_factor", st.SetSecondFactorRole(ctx, sec, auth.BranchAdmin, true))
	c := w.Client(t)
	c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "member", "password": "wrong-Password1"})
	c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "nobody", "password": "wrong-Password1"})
	w.Login(t, "committee").JSON("POST", "/api/v1/people/"+webtest.Itoa(w.P1.ID)+"/reveal", nil)
	w.Login(t, "member").Get("/api/v1/people/" + webtest.Itoa(w.P2.ID)) // not their own: refused, recorded
	cm := w.Login(t, "committee")
	cm.Get("/people/export.xlsx")
	cm.JSON("POST", "/api/v1/auth/logout", nil)
}

// rawLeft are what an auditor must never read: a stored key in English
// before a colon, JSON, a zero time, an ISO timestamp, an org path of ids,
// an object named by its number.
var rawLeft = []*regexp.Regexp{
	regexp.MustCompile(`\b[a-z][a-z_]*[a-z]\s*[：:]`),
	regexp.MustCompile(`\b[A-Z][a-zA-Z]+[A-Z][a-z]*\b`), // PersonID, SetUpOn
	regexp.MustCompile(`[{}\[\]"]`),
	regexp.MustCompile(`0001-01-01|T\d\d:\d\d:\d\dZ|\d{4}-\d\d-\d\dT`),
	regexp.MustCompile(`/\d+/`),
	regexp.MustCompile(`#\d+`),
	regexp.MustCompile(`〔`),
	regexp.MustCompile(`\b(male|female|full|probationary|leader|branch|group|held|planned|leave|move|mark|true|false)\b`),
}

func checkWording(t *testing.T, where, text string) {
	t.Helper()
	for _, re := range rawLeft {
		if m := re.FindString(text); m != "" {
			i := strings.Index(text, m)
			t.Errorf("%s shows %q: …%s…", where, m, text[max(0, i-80):min(len(text), i+80)])
		}
	}
}

// The audit log reads in Chinese: every record the modules write, on the
// page, in the API's words and in the export, names its object, labels its
// fields and values, shows dates as dates and only what changed.
func TestAuditLogReadsInChinese(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) { auditLogReadsInChinese(t, webtest.NewWorld(t, d)) })
}

func auditLogReadsInChinese(t *testing.T, w *webtest.World) {
	everyKindOfRecord(t, w)
	au := w.Login(t, "auditor")

	// The page: every record, its object and changes.
	all, total, err := w.Store.AuditEntries(context.Background(), audit.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range all {
		actions[e.Action] = true
	}
	for _, want := range []string{"org.create", "org.update", "org.move", "org.close", "person.create", "person.update", "person.transfer",
		"person.import", "person.export", "committee.add", "committee.end", "group.save", "dict.create", "dict.update", "event_kind.save",
		"event_rule.save", "event.create", "event.update", "event.mark", "event.qr_setting", "user.create", "user.unlock",
		"user.disable", "login.failure", "login.unknown_user", "login.success", "logout", "access.refused", "user.second_factor_enrol",
		"user.reset", "user.activate", "user.reject", "policy.second_factor", "person.view_sensitive"} {
		if !actions[want] {
			t.Errorf("the scenario wrote no %s record", want)
		}
	}
	for page := 1; (page-1)*50 < total; page++ {
		res := au.Get("/audit?page=" + webtest.Itoa(int64(page)))
		if res.Status != http.StatusOK {
			t.Fatalf("page %d: %d", page, res.Status)
		}
		body := res.Body[strings.Index(res.Body, `<tbody>`):strings.Index(res.Body, `</tbody>`)]
		body = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " ")
		checkWording(t, "audit page "+webtest.Itoa(int64(page)), body)
	}

	// What a reader notices, record by record.
	page := au.Get("/audit?action=person.update").Body
	for _, want := range []string{"人员 张伟（第一党支部）", "职务", "<del>（空）</del> → <ins>科长</ins>", "学历", "<del>大学本科</del> → <ins>研究生</ins>"} {
		if !strings.Contains(page, want) {
			t.Errorf("person.update lacks %q", want)
		}
	}
	if rows := page[strings.Index(page, "<tbody>"):]; strings.Contains(rows, "姓名") || strings.Contains(rows, "民族") {
		t.Error("person.update shows fields that did not change")
	}
	page = au.Get("/audit?action=person.transfer").Body
	for _, want := range []string{"人员 李娜（第二党支部 › 第一党小组）", "所在组织", "<del>第二党支部</del> → <ins>第二党支部 › 第一党小组</ins>", "党小组调整", "内部调整"} {
		if !strings.Contains(page, want) {
			t.Errorf("person.transfer lacks %q", want)
		}
	}
	page = au.Get("/audit?action=group.save").Body
	for _, want := range []string{"工作小组 平安建设领导小组", "成员", "张伟（第一党支部）（组长）", "李娜（第二党支部 › 第一党小组）（成员）", "2026-02-01"} {
		if !strings.Contains(page, want) {
			t.Errorf("group.save lacks %q", want)
		}
	}
	page = au.Get("/audit?action=committee.add").Body
	if !strings.Contains(page, "班子职务") || !strings.Contains(page, "书记") || strings.Contains(page, "创建") {
		t.Errorf("committee.add: %s", page[strings.Index(page, "<tbody>"):strings.Index(page, "</tbody>")])
	}

	// The export says the same in the same words.
	res := au.Get("/audit/export.xlsx")
	book, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows("审计日志")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < total {
		t.Fatalf("export has %d rows for %d records", len(rows), total)
	}
	for i, row := range rows[1:] {
		checkWording(t, "export row "+webtest.Itoa(int64(i+2)), strings.Join(row[3:], " | "))
	}

	// Filters by the person and the organisation concerned.
	res = au.Get("/api/v1/audit?person=李娜&page_size=200")
	got := res.Decode(t)
	seen := map[string]bool{}
	for _, it := range got["items"].([]any) {
		e := it.(map[string]any)
		seen[e["action"].(string)] = true
	}
	if !seen["person.create"] || !seen["person.transfer"] || !seen["group.save"] || seen["org.create"] || seen["dict.create"] {
		t.Errorf("records concerning 李娜: %v", seen)
	}
	res = au.Get("/api/v1/audit?org=" + webtest.Itoa(w.Branch2.ID) + "&page_size=200")
	for _, it := range res.Decode(t)["items"].([]any) {
		e := it.(map[string]any)
		if p, _ := e["org_path"].(string); !strings.HasPrefix(p, w.Branch2.Path) {
			t.Errorf("record of %v (%s) under 第二党支部's filter", e["org_path"], e["action"])
		}
	}
	if res := au.Get("/audit?person=" + strings.Repeat("张", 41)); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("an over-long name: %d", res.Status)
	}
	// The stored record is untouched: the raw snapshot is still the JSON written.
	raw, _, _ := w.Store.AuditEntries(context.Background(), audit.Filter{Action: "person.update", Limit: 1})
	if len(raw) != 1 || !strings.Contains(raw[0].After, `"sex":"male"`) {
		t.Errorf("stored record changed: %+v", raw)
	}
}
